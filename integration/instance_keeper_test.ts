/**
 * The instance keeper against the real opencode: uses reported by the proxy, the soft LRU cap,
 * pins (a tab, a busy session), idle disposal, OpenCode's own disposal events (also one arriving
 * after a request booted the folder again), and a new server. Idleness is waited on a test clock.
 */

import assert from "node:assert/strict";
import { appOver } from "../testing/app_over.ts";
import { readSse } from "../testing/sse.ts";
import { OpencodeWorld, waitFor } from "../testing/world.ts";
import { StatusIndex } from "../lib/server/events/status_index.ts";
import { basicAuthorization } from "../lib/server/opencode/endpoint.ts";
import { InstanceKeeper } from "../lib/server/opencode/instances/keeper.ts";
import { switchableSource } from "../testing/switchable_source.ts";
import { TestClock } from "../testing/test_clock.ts";

const busy = (sessionID: string, directory: string) => ({
  directory,
  payload: { type: "session.status", properties: { sessionID, status: { type: "busy" } } },
});

Deno.test("the keeper disposes idle and least recently used instances, never pinned ones", async () => {
  await using world = await OpencodeWorld.create();
  const [alpha, beta, gamma, delta] = await Promise.all(
    ["alpha", "beta", "gamma", "delta"].map((name) => world.makeProject(name)),
  );
  await using opencode = await world.startOpencode();
  const endpoint = { url: opencode.url, authorization: basicAuthorization(opencode.password) };
  const events = readSse(await opencode.fetch("/global/event"));
  const disposed = (directory: string) =>
    events.messages.some((message) =>
      message.json.payload.type === "server.instance.disposed" &&
      message.json.payload.properties?.directory === directory
    );
  const index = new StatusIndex();
  const logs: string[] = [];
  const clock = new TestClock();
  const keeper = new InstanceKeeper({
    source: { endpoint: () => endpoint },
    maxInstances: 2,
    idleMs: 30_000,
    graceMs: 3_000,
    sweepIntervalMs: 200,
    liveSessions: () => index.snapshot(),
    log: (line) => logs.push(line),
    now: clock.now,
  });
  using palot = appOver(world.dataDir, { endpoint, instances: keeper });
  const proxied = async (path: string, headers: Record<string, string> = {}) => {
    const response = await palot.app.fetch(
      new Request(`http://127.0.0.1:3100/api/opencode${path}`, {
        headers: { host: "127.0.0.1:3100", ...headers },
      }),
    );
    await response.body?.cancel();
    return response.status;
  };
  const report = async () =>
    (await (await palot.fetch("/api/opencode")).json()).instances as {
      directory: string;
      pinnedBy: string[];
    }[];
  // The first instance opencode boots is slow (seconds): not one of these.
  await (await opencode.fetch(`/agent?directory=${encodeURIComponent(world.root)}`)).body?.cancel();
  keeper.start();
  try {
    // A tab shows beta; a session of gamma is busy.
    keeper.show("tab-1", [beta]);
    index.apply(busy("ses_gamma", gamma));

    assert.equal(await proxied(`/agent?directory=${encodeURIComponent(alpha)}`), 200);
    assert.equal(
      await proxied("/agent", { "x-opencode-directory": encodeURIComponent(beta) }),
      200,
    );
    assert.deepEqual(keeper.directories(), [alpha, beta], "each request's directory is live");
    assert.equal(await proxied(`/agent?directory=${encodeURIComponent(gamma + "/")}`), 200);
    assert.ok(keeper.directories().includes(gamma), "a path with a trailing slash, normalised");

    // Three live, two allowed: alpha, the least recently used unpinned one, goes after its grace.
    clock.skip(3_000);
    await waitFor(() => disposed(alpha), { timeoutMs: 60_000, message: "alpha disposed" });
    assert.deepEqual(keeper.directories(), [beta, gamma]);
    assert.deepEqual(await report(), [
      { directory: beta, lastUsed: keeper.report()[0].lastUsed, pinnedBy: ["tab"] },
      { directory: gamma, lastUsed: keeper.report()[1].lastUsed, pinnedBy: ["session"] },
    ]);
    assert.ok(logs.some((line) => line.startsWith(`Disposed the OpenCode instance of "${alpha}"`)));

    // The cap is soft: with both pinned, only the unpinned newcomer goes (after its grace).
    assert.equal(await proxied(`/agent?directory=${encodeURIComponent(delta)}`), 200);
    assert.deepEqual(keeper.directories(), [beta, gamma, delta]);
    clock.skip(3_000);
    await waitFor(() => disposed(delta), { timeoutMs: 60_000, message: "delta disposed" });
    assert.deepEqual(keeper.directories(), [beta, gamma]);
    assert.ok(!disposed(beta) && !disposed(gamma), "pinned instances stay");

    // A disposed directory simply boots again on its next request.
    assert.equal(await proxied(`/session?directory=${encodeURIComponent(alpha)}`), 200);
    assert.ok(keeper.directories().includes(alpha));

    // Unpinned, beta and gamma go once idle; the global event stream carries on meanwhile.
    keeper.show("tab-1", []);
    index.apply({
      directory: gamma,
      payload: { type: "session.idle", properties: { sessionID: "ses_gamma" } },
    });
    clock.skip(30_000);
    await waitFor(() => disposed(beta) && disposed(gamma), {
      timeoutMs: 90_000,
      message: "beta and gamma disposed when idle",
    });
    const created = await opencode.client(beta).session.create({ title: "After disposal" });
    await waitFor(
      () =>
        events.messages.some((message) =>
          message.json.payload.type === "session.created" &&
          (message.json.payload.properties?.info as { id?: string })?.id === created.data?.id
        ),
      { message: "an event on the same global stream after disposals" },
    );
  } finally {
    await keeper.stop();
    await events.close();
  }
});

Deno.test("the keeper forgets on OpenCode's events and a new server, and adopts recent folders", async () => {
  await using world = await OpencodeWorld.create();
  const alpha = await world.makeProject("alpha");
  const beta = await world.makeProject("beta");
  await using opencode = await world.startOpencode();
  const endpoint = { url: opencode.url, authorization: basicAuthorization(opencode.password) };
  const source = switchableSource(endpoint);
  const forgotten: string[] = [];
  const keeper = new InstanceKeeper({
    source,
    sweepIntervalMs: 60_000,
    // beta was last active ten minutes ago.
    recentDirectories: (since) => since < Date.now() - 600_000 ? [beta] : [],
    onForget: (directory) => forgotten.push(directory),
    log: () => {},
  });
  keeper.start();
  try {
    keeper.use(alpha);
    keeper.use(beta);
    // OpenCode disposed alpha itself (another client asked it to).
    const events = readSse(await opencode.fetch("/global/event"));
    await opencode.fetch(`/instance/dispose?directory=${encodeURIComponent(alpha)}`, {
      method: "POST",
    }).then((response) => response.body?.cancel());
    const event = await waitFor(() =>
      events.messages.find((message) => message.json.payload.type === "server.instance.disposed")
    );
    await events.close();
    keeper.observe(event.json as Parameters<InstanceKeeper["observe"]>[0]);
    assert.deepEqual(keeper.directories(), [beta]);
    assert.deepEqual(forgotten, [alpha]);

    // OpenCode restarted: a new server has no instances (this one started just now).
    source.switchTo(undefined);
    assert.deepEqual(keeper.directories(), []);
    source.switchTo({ ...endpoint, startedAt: Date.now() });
    assert.deepEqual(keeper.directories(), []);
    // Adopting a server that has run for an hour: its recently active folders count as live.
    source.switchTo({ ...endpoint, startedAt: Date.now() - 3_600_000 });
    assert.deepEqual(keeper.directories(), [beta]);
  } finally {
    await keeper.stop();
  }
});

Deno.test("the event of the keeper's own disposal, arriving after a request booted the folder again, forgets nothing", async () => {
  await using world = await OpencodeWorld.create();
  const alpha = await world.makeProject("alpha");
  await using opencode = await world.startOpencode();
  const endpoint = { url: opencode.url, authorization: basicAuthorization(opencode.password) };
  const clock = new TestClock();
  const keeper = new InstanceKeeper({
    source: switchableSource(endpoint),
    idleMs: 1_000,
    sweepIntervalMs: 60_000,
    log: () => {},
    now: clock.now,
  });
  keeper.start();
  const events = readSse(await opencode.fetch("/global/event"));
  try {
    keeper.use(alpha)();
    clock.skip(1_100);
    await keeper.sweep(); // idle: disposed
    assert.deepEqual(keeper.directories(), []);
    const disposed = await waitFor(() =>
      events.messages.find((message) => message.json.payload.type === "server.instance.disposed")
    );
    // A request boots it again before Palot hears of the disposal.
    const answered = keeper.use(alpha);
    await opencode.fetch(`/agent?directory=${encodeURIComponent(alpha)}`).then((response) =>
      response.body?.cancel()
    );
    answered();
    keeper.observe(disposed.json as Parameters<InstanceKeeper["observe"]>[0]);
    assert.deepEqual(keeper.directories(), [alpha], "still live: the request booted it");
  } finally {
    await events.close();
    await keeper.stop();
  }
});
