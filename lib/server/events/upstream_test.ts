/**
 * The upstream reader against a tiny loopback server posing as OpenCode's `/global/event`, for
 * what the real opencode cannot be made to do on cue: odd SSE framing, a server that never
 * answers, and a server replaced by another. (Against the real opencode: `live_test.ts`.)
 */

import assert from "node:assert/strict";
import type { OpencodeEndpoint } from "../opencode/endpoint.ts";
import { poseAsOpencode, streamOf } from "../../../testing/pose_as_opencode.ts";
import { waitFor } from "../../../testing/world.ts";
import type { HubEvent } from "../../common/hub_event.ts";
import { UpstreamEvents } from "./upstream.ts";

const line = (directory: string, type: string) =>
  `data: ${JSON.stringify({ directory, payload: { type, properties: {} } })}`;

Deno.test("the upstream parses SSE however it is split, and a consumer's error costs nothing", async () => {
  const authorizations: (string | null)[] = [];
  await using fake = poseAsOpencode((request) => {
    authorizations.push(request.headers.get("authorization"));
    const text = `: a comment\n\n${line("/a", "first")}\r\n\r\nretry: 10\n\n` +
      `data: {"directory": "/b",\ndata: "payload": {"type": "second"}}\n\n` +
      `data: not json\n\n${line("/c", "third")}\n\ndata: {"payload": {"type": "fourth"}}\n\n`;
    // Split every few characters, boundaries and CRLF included.
    return streamOf(text.match(/[^]{1,7}/g)!);
  });
  const events: HubEvent[] = [];
  const logs: string[] = [];
  const upstream = new UpstreamEvents({
    source: { endpoint: () => fake.endpoint },
    onEvent: (event) => {
      events.push(event);
      if (event.payload.type === "second") throw new Error("A bug downstream");
    },
    log: (line) => logs.push(line),
  });
  upstream.start();
  try {
    await waitFor(() => events.length === 4, { message: "four events" });
    assert.deepEqual(
      events.map((event) => [event.directory, event.payload.type]),
      [["/a", "first"], ["/b", "second"], ["/c", "third"], ["", "fourth"]],
    );
    assert.ok(upstream.connected);
    assert.deepEqual(authorizations, ["Basic test"], "one connection, with the password");
    assert.deepEqual(logs, ["Handling a second event failed: A bug downstream"]);
  } finally {
    await upstream.stop();
  }
  assert.equal(upstream.connected, false);
});

Deno.test("the upstream keeps every event whatever the line endings: CRLF+LF, bare CR, mixed", async () => {
  // `\r\n\n` once swallowed the next event; bare `\r` line endings were not split at all.
  const text = `${line("/a", "one")}\r\n\n${line("/b", "two")}\n\n` +
    `${line("/c", "three")}\r\r${line("/d", "four")}\n\r\n${line("/e", "five")}\r\n\r\n`;
  for (const size of [1, 3, text.length]) {
    await using fake = poseAsOpencode(() =>
      streamOf(text.match(new RegExp(`[^]{1,${size}}`, "g"))!)
    );
    const events: HubEvent[] = [];
    const upstream = new UpstreamEvents({
      source: { endpoint: () => fake.endpoint },
      onEvent: (event) => events.push(event),
    });
    upstream.start();
    try {
      await waitFor(() => events.length >= 5, { message: `five events in chunks of ${size}` });
      assert.deepEqual(events.map((event) => event.payload.type), [
        "one",
        "two",
        "three",
        "four",
        "five",
      ]);
    } finally {
      await upstream.stop();
    }
  }
});

Deno.test("a server that never answers is given up after the connect timeout, then retried", async () => {
  let requests = 0;
  const testOver = Promise.withResolvers<void>();
  await using fake = poseAsOpencode(async () => {
    requests++;
    // Accept the connection, never send headers.
    await testOver.promise;
    return new Response(null, { status: 503 });
  });
  const transitions: boolean[] = [];
  const logs: string[] = [];
  const upstream = new UpstreamEvents({
    source: { endpoint: () => fake.endpoint },
    onEvent: () => {},
    onConnection: (connected) => transitions.push(connected),
    connectTimeoutMs: 150,
    backoffInitialMs: 20,
    backoffMaxMs: 40,
    log: (line) => logs.push(line),
  });
  upstream.start();
  try {
    await waitFor(() => requests >= 3, { message: "three attempts" });
    assert.deepEqual(transitions, [], "never connected");
    assert.ok(logs.some((line) => line.includes("did not answer the event stream within 0.15 s")));
  } finally {
    await upstream.stop();
    testOver.resolve();
  }
});

Deno.test("a new endpoint from the source is followed at once, without the backoff", async () => {
  await using first = poseAsOpencode(() => streamOf([`${line("/a", "from.first")}\n\n`]));
  await using second = poseAsOpencode(() => streamOf([`${line("/a", "from.second")}\n\n`]));
  let current: OpencodeEndpoint | undefined = first.endpoint;
  const listeners = new Set<() => void>();
  const source = {
    endpoint: () => current,
    subscribe: (listener: () => void) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
  const types: string[] = [];
  const transitions: boolean[] = [];
  const upstream = new UpstreamEvents({
    source,
    onEvent: (event) => types.push(event.payload.type),
    onConnection: (connected) => transitions.push(connected),
    // Long enough that only an immediate reconnect can pass the test.
    backoffInitialMs: 30_000,
  });
  upstream.start();
  try {
    await waitFor(() => types.includes("from.first"), { message: "the first server" });
    const notify = () => listeners.forEach((listener) => listener());
    // The first server's stream is open and silent: only the notification can end it.
    current = second.endpoint;
    const switchedAt = Date.now();
    notify();
    await waitFor(() => types.includes("from.second"), { message: "the second server" });
    assert.ok(Date.now() - switchedAt < 2_000, "no backoff wait");
    // As the supervisor restarts OpenCode: no endpoint for a while, then a new one.
    current = undefined;
    notify();
    await waitFor(() => !upstream.connected, { message: "the disconnection" });
    current = first.endpoint;
    notify();
    await waitFor(() => types.filter((type) => type === "from.first").length === 2, {
      message: "the first server again",
    });
    assert.deepEqual(types, ["from.first", "from.second", "from.first"]);
    assert.deepEqual(transitions, [true, false, true, false, true]);
  } finally {
    await upstream.stop();
  }
  assert.equal(listeners.size, 0, "stop unsubscribes from the source");
});
