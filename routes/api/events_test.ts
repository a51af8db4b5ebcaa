/** `/api/events` over a hub the test publishes to: the wire format, replay, resync, closing. */

import assert from "node:assert/strict";
import type { AppServices } from "../../lib/server/services.ts";
import { EventHub } from "../../lib/server/events/hub.ts";
import { StatusIndex } from "../../lib/server/events/status_index.ts";
import { waitFor } from "../../testing/world.ts";
import { eventRoutes } from "./events.ts";

/** The route alone, over a hub the test publishes to (only `live` is read). */
function eventsApp(hub = new EventHub(), connected = true) {
  const live = { hub, index: new StatusIndex(), connected };
  return { hub, app: eventRoutes({ live } as unknown as AppServices) };
}

/** Reads a response body as text in the background; `text` grows as chunks arrive. */
function readText(response: Response) {
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  const state = { text: "", ended: false };
  const done = (async () => {
    while (true) {
      const { value, done } = await reader.read();
      if (done) break;
      state.text += value;
    }
    state.ended = true;
  })().catch(() => {});
  return Object.assign(state, {
    close: async () => {
      await reader.cancel().catch(() => {});
      await done;
    },
  });
}

const sample = (n: number) => ({ directory: "/p", payload: { type: "test", properties: { n } } });

Deno.test("/api/events sends the exact wire format, replays, and frees the tab on close", async () => {
  const { hub, app } = eventsApp();
  hub.publish(sample(1));
  hub.publish(sample(2));
  const response = await app.request("/", { headers: { "last-event-id": `${hub.epoch}:1` } });
  assert.equal(response.status, 200);
  assert.equal(response.headers.get("content-type"), "text/event-stream; charset=utf-8");
  assert.equal(response.headers.get("cache-control"), "no-cache, no-store");
  const tab = readText(response);
  try {
    assert.equal(hub.subscriberCount, 1);
    hub.publish(sample(3));
    const expected = "retry: 1000\n\n" +
      'data: {"directory":"","payload":{"type":"palot.connection","properties":{"connected":true}}}\n\n' +
      `id: ${hub.epoch}:2\ndata: {"directory":"/p","payload":{"type":"test","properties":{"n":2}}}\n\n` +
      `id: ${hub.epoch}:3\ndata: {"directory":"/p","payload":{"type":"test","properties":{"n":3}}}\n\n`;
    await waitFor(() => tab.text.length >= expected.length, { message: "four messages" });
    assert.equal(tab.text, expected);
  } finally {
    await tab.close();
  }
  assert.equal(hub.subscriberCount, 0, "a closed tab leaves no subscriber (nor its heartbeat)");
});

Deno.test("/api/events asks a tab to resync when its id is too old or from another Palot", async () => {
  const { hub, app } = eventsApp(new EventHub({ capacity: 2 }), false);
  for (let n = 1; n <= 5; n++) hub.publish(sample(n));
  for (const query of [`${hub.epoch}:1`, `other:4`, "garbage", `${hub.epoch}:99`]) {
    const tab = readText(await app.request(`/?lastEventId=${encodeURIComponent(query)}`));
    try {
      await waitFor(() => tab.text.includes("palot.resync"), { message: `a resync for ${query}` });
      assert.ok(tab.text.includes('"connected":false'));
      assert.ok(!tab.text.includes('"type":"test"'), "nothing stale is replayed");
    } finally {
      await tab.close();
    }
  }
  const tab = readText(await app.request(`/?lastEventId=${hub.epoch}:3`));
  try {
    await waitFor(() => tab.text.includes(`id: ${hub.epoch}:5`), { message: "the replay" });
    assert.ok(!tab.text.includes("palot.resync"));
    assert.deepEqual([...tab.text.matchAll(/^id: (.*)$/gm)].map((match) => match[1]), [
      `${hub.epoch}:4`,
      `${hub.epoch}:5`,
    ]);
  } finally {
    await tab.close();
  }
});

Deno.test("/api/events cuts off a tab that falls 8 MB behind, and frees it", async () => {
  const { hub, app } = eventsApp();
  const response = await app.request("/"); // never read while the events come
  assert.equal(hub.subscriberCount, 1);
  const big = "x".repeat(256 * 1024);
  for (let n = 0; n < 40 && hub.subscriberCount > 0; n++) {
    hub.publish({ directory: "/p", payload: { type: "test", properties: { big } } });
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
  assert.equal(hub.subscriberCount, 0, "cut off before 10 MB were queued for it");
  // What was queued is still given, then the stream ends: the tab reconnects, resumes or resyncs.
  const text = await response.text();
  assert.ok(text.length > 8 * 1024 * 1024, `${text.length} bytes queued`);
  assert.ok(text.length < 8.5 * 1024 * 1024, `${text.length} bytes queued`);
});

Deno.test("/api/events streams end when the hub closes, and answer 503 without a live layer", async () => {
  const { hub, app } = eventsApp();
  const tabs = [readText(await app.request("/")), readText(await app.request("/"))];
  assert.equal(hub.subscriberCount, 2);
  hub.close();
  await waitFor(() => tabs.every((tab) => tab.ended), { message: "both streams to end" });
  for (const tab of tabs) await tab.close();
  const without = await eventRoutes({} as AppServices).request("/");
  assert.equal(without.status, 503);
  assert.deepEqual(await without.json(), { error: "Live events are not available" });
});
