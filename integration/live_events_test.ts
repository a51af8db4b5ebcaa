/** The live layer against the real opencode: one upstream, attribution, watchdog, recovery. */

import assert from "node:assert/strict";
import { join } from "node:path";
import { FakeLlm } from "../testing/fake_llm.ts";
import { poseAsOpencode, streamOf } from "../testing/pose_as_opencode.ts";
import { freePort, OpencodeWorld, waitFor } from "../testing/world.ts";
import { npmOpencodeBinary } from "../lib/server/opencode/supervisor/binary.ts";
import { basicAuthorization } from "../lib/server/opencode/endpoint.ts";
import { OpencodeSupervisor } from "../lib/server/opencode/supervisor/supervisor.ts";
import type { HubEvent } from "../lib/common/hub_event.ts";
import { LiveEvents } from "../lib/server/events/live.ts";
import { UpstreamEvents } from "../lib/server/events/upstream.ts";

const typeOf = (event: HubEvent) => event.payload.type;
const propertiesOf = (event: HubEvent) =>
  (event.payload.properties ?? {}) as Record<string, unknown>;

Deno.test("one upstream stream attributes events of two directories and tracks status", async () => {
  await using llm = await FakeLlm.start();
  await using world = await OpencodeWorld.create({ llm });
  const alpha = await world.makeProject("alpha");
  const beta = await world.makeProject("beta");
  const supervisor = new OpencodeSupervisor({
    binary: { path: npmOpencodeBinary(), source: "npm package" },
    port: freePort(),
    stateDir: join(world.env.XDG_STATE_HOME, "palot"),
    env: world.env,
    log: () => {},
    healthIntervalMs: 500,
    killGraceMs: 1000,
    backoffInitialMs: 100,
  });
  const live = new LiveEvents({
    source: supervisor,
    recentDirectories: () => [alpha, beta],
    log: () => {},
  });
  const events: HubEvent[] = [];
  live.hub.subscribe(({ event }) => events.push(event));
  supervisor.start();
  live.start();
  try {
    await supervisor.ready();
    await waitFor(() => live.connected, { message: "the upstream stream" });
    const client = (directory: string) => {
      // The endpoint of the moment: it changes when OpenCode restarts.
      const endpoint = supervisor.endpoint()!;
      const headers = { authorization: endpoint.authorization, "content-type": "application/json" };
      return {
        create: async (title: string) => {
          const response = await fetch(
            `${endpoint.url}/session?directory=${encodeURIComponent(directory)}`,
            {
              method: "POST",
              headers,
              body: JSON.stringify({ title }),
            },
          );
          return await response.json() as { id: string };
        },
        promptAsync: async (sessionID: string, text: string) => {
          const response = await fetch(
            `${endpoint.url}/session/${sessionID}/prompt_async?directory=${
              encodeURIComponent(directory)
            }`,
            { method: "POST", headers, body: JSON.stringify({ parts: [{ type: "text", text }] }) },
          );
          await response.body?.cancel();
          assert.ok(response.ok);
        },
      };
    };
    const alphaSession = await client(alpha).create("In alpha");
    const betaSession = await client(beta).create("In beta");
    // Chunks far enough apart that neither OpenCode nor Palot's 16 ms joining merges them, even on
    // a busy machine.
    llm.enqueue({ text: "Slow and steady reply", chunkSize: 2, chunkDelayMs: 300 });
    await client(beta).promptAsync(betaSession.id, "Hello");
    await waitFor(() => live.index.get(betaSession.id)?.status === "busy", { message: "busy" });
    assert.ok(live.index.busySessionIds().has(betaSession.id));
    await waitFor(() => !live.index.get(betaSession.id), {
      timeoutMs: 60_000,
      message: "idle again",
    });

    const created = events.filter((event) => typeOf(event) === "session.created");
    const directoryOf = (id: string) =>
      created.find((event) => (propertiesOf(event).info as { id: string }).id === id)?.directory;
    assert.equal(directoryOf(alphaSession.id), alpha);
    assert.equal(directoryOf(betaSession.id), beta);
    const deltas = events.filter((event) => typeOf(event) === "message.part.delta");
    assert.ok(deltas.length > 3, "the reply streamed as deltas");
    assert.equal(
      deltas.map((event) => propertiesOf(event).delta).join(""),
      "Slow and steady reply",
      "the deltas carry the whole reply, in order",
    );
    assert.ok(
      deltas.every((event) =>
        event.directory === beta && propertiesOf(event).sessionID === betaSession.id
      ),
    );
    assert.ok(
      !events.some((event) => typeOf(event) === "server.heartbeat"),
      "heartbeats stay upstream",
    );

    // OpenCode killed: the supervisor restarts it and the stream follows by itself.
    const before = events.length;
    Deno.kill(supervisor.snapshot().pid!, "SIGKILL");
    await waitFor(
      () =>
        events.slice(before).some((event) =>
          typeOf(event) === "palot.connection" && propertiesOf(event).connected === false
        ),
      { message: "the disconnection event" },
    );
    await waitFor(() => live.connected && supervisor.snapshot().restarts === 1, {
      timeoutMs: 60_000,
      message: "reconnection to the restarted server",
    });
    await waitFor(() => events.slice(before).some((event) => typeOf(event) === "palot.resync"), {
      message: "a resync after reconnecting",
    });
    const afterRestart = await client(alpha).create("After restart");
    await waitFor(
      () =>
        events.some((event) =>
          typeOf(event) === "session.created" &&
          (propertiesOf(event).info as { id: string }).id === afterRestart.id
        ),
      { message: "events from the new server" },
    );
  } finally {
    await live.stop();
    await supervisor.stop();
  }
});

Deno.test("a silent upstream is dropped and reconnected", async () => {
  await using world = await OpencodeWorld.create();
  await using opencode = await world.startOpencode();
  const endpoint = { url: opencode.url, authorization: basicAuthorization(opencode.password) };
  const transitions: boolean[] = [];
  const logs: string[] = [];
  const upstream = new UpstreamEvents({
    source: { endpoint: () => endpoint },
    onEvent: () => {},
    onConnection: (connected) => transitions.push(connected),
    silenceMs: 800,
    connectTimeoutMs: 500,
    backoffInitialMs: 50,
    backoffMaxMs: 200,
    log: (line) => logs.push(line),
  });
  upstream.start();
  try {
    await waitFor(() => upstream.connected, { message: "the first connection" });
    // A stopped process keeps its socket open but never sends: silence.
    Deno.kill(opencode.pid, "SIGSTOP");
    await waitFor(() => !upstream.connected, { message: "the watchdog" });
    assert.ok(logs.some((line) => line.includes("No event from OpenCode")));
    Deno.kill(opencode.pid, "SIGCONT");
    await waitFor(() => upstream.connected, { timeoutMs: 20_000, message: "reconnection" });
    assert.deepEqual(transitions.slice(0, 3), [true, false, true]);
  } finally {
    Deno.kill(opencode.pid, "SIGCONT");
    await upstream.stop();
  }
});

// Posing as OpenCode: the real one cannot be made to leave a request unanswered on cue.
Deno.test("seeding reads only folders active since the server started, and stop does not wait for it", async () => {
  const startedAt = Date.now() - 60_000;
  const lastActivity: Record<string, number> = {
    "/before-start": startedAt - 1_000,
    "/after-start": startedAt + 1_000,
  };
  const seeded: string[] = [];
  let aborted = 0;
  await using fake = poseAsOpencode((request) => {
    const url = new URL(request.url);
    if (url.pathname === "/global/event") return streamOf([": open\n\n"]);
    seeded.push(url.searchParams.get("directory")!);
    // Never answered; the request ends only when Palot gives it up.
    return new Promise((resolve) =>
      request.signal.addEventListener("abort", () => {
        aborted++;
        resolve(new Response(null, { status: 499 }));
      })
    );
  });
  const live = new LiveEvents({
    source: { endpoint: () => ({ ...fake.endpoint, startedAt }) },
    recentDirectories: (since) =>
      Object.keys(lastActivity).filter((directory) => lastActivity[directory] >= since),
  });
  live.start();
  try {
    await waitFor(() => seeded.length === 3, { message: "seeding to start" });
    assert.deepEqual([...new Set(seeded)], ["/after-start"]);
  } finally {
    // The seed's own request timeout is 5 s: stop must give the requests up, not wait them out.
    const stopped = await Promise.race([
      live.stop().then(() => true),
      new Promise<false>((resolve) => setTimeout(() => resolve(false), 4_000)),
    ]);
    assert.ok(stopped, "stop waited for the seed");
  }
  await waitFor(() => aborted === 3, { message: "the three seed requests to be cancelled" });
});
