import assert from "node:assert/strict";
import { EventHub } from "./hub.ts";
import type { HubEvent } from "../../common/hub_event.ts";

const event = (n: number): HubEvent => ({
  directory: "/p",
  payload: { type: "test", properties: { n } },
});
const numbers = (events: ReturnType<EventHub["since"]>) =>
  events === "too-old" ? "too-old" : events.map(({ id }) => id);

Deno.test("EventHub numbers events and fans them out to every subscriber", () => {
  const hub = new EventHub();
  const seenA: number[] = [];
  const seenB: number[] = [];
  const unsubscribeA = hub.subscribe(({ id }) => seenA.push(id));
  const unsubscribeB = hub.subscribe(({ id }) => seenB.push(id));
  assert.equal(hub.publish(event(1)).id, 1);
  assert.equal(hub.publish(event(2)).id, 2);
  unsubscribeA();
  hub.publish(event(3));
  assert.deepEqual(seenA, [1, 2]);
  assert.deepEqual(seenB, [1, 2, 3]);
  assert.equal(hub.subscriberCount, 1);
  unsubscribeB();
  assert.equal(hub.subscriberCount, 0);
});

Deno.test("EventHub replays exactly what was missed, or says it is too old", () => {
  const hub = new EventHub({ capacity: 4 });
  assert.deepEqual(numbers(hub.since(0)), []);
  for (let n = 1; n <= 3; n++) hub.publish(event(n));
  assert.deepEqual(numbers(hub.since(0)), [1, 2, 3]);
  assert.deepEqual(numbers(hub.since(1)), [2, 3]);
  assert.deepEqual(numbers(hub.since(3)), []);
  for (let n = 4; n <= 10; n++) hub.publish(event(n));
  assert.deepEqual(numbers(hub.since(6)), [7, 8, 9, 10], "the buffer wrapped around");
  assert.deepEqual(numbers(hub.since(9)), [10]);
  assert.equal(hub.since(5), "too-old", "event 6 has left the buffer");
  assert.equal(hub.since(11), "too-old", "an id from the future (a restarted Palot)");
  assert.equal(hub.since(-1), "too-old");
  assert.equal(hub.since(Number.NaN), "too-old");
  const replayed = hub.since(8);
  assert.ok(replayed !== "too-old");
  const decoder = new TextDecoder();
  assert.deepEqual(
    replayed.map(({ frame }) => decoder.decode(frame).match(/"n":(\d+)/)?.[1]),
    ["9", "10"],
  );
});

Deno.test("EventHub.close ends every subscription", () => {
  const hub = new EventHub();
  const closed: string[] = [];
  hub.subscribe(() => {}, { onClose: () => closed.push("a") });
  hub.subscribe(() => {}, { onClose: () => closed.push("b") });
  const unsubscribed = hub.subscribe(() => {}, { onClose: () => closed.push("c") });
  unsubscribed();
  hub.close();
  assert.deepEqual(closed, ["a", "b"]);
  assert.equal(hub.subscriberCount, 0);
});

Deno.test("EventHub drops a subscriber that throws and keeps serving the others", () => {
  const logs: string[] = [];
  const hub = new EventHub({ log: (line) => logs.push(line) });
  const seen: number[] = [];
  hub.subscribe(() => {
    throw new Error("The tab's stream is gone");
  });
  hub.subscribe(({ id }) => seen.push(id));
  hub.publish(event(1));
  hub.publish(event(2));
  assert.deepEqual(seen, [1, 2]);
  assert.equal(hub.subscriberCount, 1);
  assert.equal(logs.length, 1);
  assert.match(logs[0], /The tab's stream is gone/);
});

Deno.test("EventHub keeps at most its capacity and still counts on", () => {
  const hub = new EventHub({ capacity: 3 });
  for (let n = 1; n <= 1_000; n++) hub.publish(event(n));
  assert.equal(hub.lastId, 1_000);
  assert.deepEqual(numbers(hub.since(997)), [998, 999, 1_000]);
  assert.equal(hub.since(996), "too-old");
});

Deno.test("EventHub bounds its replay buffer by bytes too, and shares one frame per event", () => {
  const hub = new EventHub({ capacity: 5_000, maxBytes: 10_000 });
  const live: Uint8Array[] = [];
  hub.subscribe(({ frame }) => live.push(frame));
  const big = (n: number): HubEvent => ({
    directory: "/p",
    payload: { type: "message.part.updated", properties: { n, output: "x".repeat(3_000) } },
  });
  for (let n = 1; n <= 100; n++) hub.publish(big(n));
  assert.ok(hub.bufferedBytes <= 10_000, `${hub.bufferedBytes} bytes kept`);
  assert.equal(hub.bufferedCount, 3, "three 3 KB events fit in 10 KB");
  assert.equal(hub.since(96), "too-old", "event 97 has left the buffer");
  const replayed = hub.since(97);
  assert.ok(replayed !== "too-old");
  assert.deepEqual(replayed.map(({ id }) => id), [98, 99, 100]);
  assert.equal(replayed[2].frame, live[99], "the replayed frame is the one sent live");
  assert.match(new TextDecoder().decode(replayed[2].frame), new RegExp(`^id: ${hub.epoch}:100\n`));

  // An event larger than the whole budget is sent live but not kept: a tab that missed it resyncs.
  hub.publish({
    directory: "/p",
    payload: { type: "huge", properties: { x: "y".repeat(20_000) } },
  });
  assert.equal(hub.bufferedCount, 0);
  assert.equal(hub.bufferedBytes, 0);
  assert.equal(hub.since(100), "too-old");
  assert.deepEqual(hub.since(101), []);
});
