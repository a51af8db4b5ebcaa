/** The delta coalescer: joining, ordering against other events, the window, and flushing. */

import assert from "node:assert/strict";
import { sleep } from "../sleep.ts";
import { DeltaCoalescer } from "./delta_coalescer.ts";
import type { HubEvent } from "../../common/hub_event.ts";

const delta = (partID: string, text: string, directory = "/p"): HubEvent => ({
  directory,
  payload: {
    type: "message.part.delta",
    properties: { sessionID: "ses_1", messageID: "msg_1", partID, field: "text", delta: text },
  },
});
const other = (type: string): HubEvent => ({ directory: "/p", payload: { type, properties: {} } });
const describe = (event: HubEvent) => {
  const properties = event.payload.properties as { partID?: string; delta?: string };
  return event.payload.type === "message.part.delta"
    ? `${event.directory} ${properties.partID}:${properties.delta}`
    : event.payload.type;
};

Deno.test("deltas of a part within the window leave as one, in order with other events", async () => {
  const published: HubEvent[] = [];
  const coalescer = new DeltaCoalescer((event) => published.push(event), { windowMs: 20 });
  const first = delta("prt_a", "He");
  coalescer.push(first);
  coalescer.push(delta("prt_a", "ll"));
  coalescer.push(delta("prt_b", "x"));
  coalescer.push(delta("prt_a", "o"));
  coalescer.push(delta("prt_a", "!", "/other")); // another project's part of the same id
  assert.deepEqual(published, [], "held for the window");
  coalescer.push(other("message.part.updated"));
  coalescer.push(delta("prt_a", " world"));
  assert.deepEqual(published.map(describe), [
    "/p prt_a:Hello",
    "/p prt_b:x",
    "/other prt_a:!",
    "message.part.updated",
  ]);
  assert.equal((first.payload.properties as { delta: string }).delta, "He", "input left as is");
  await sleep(60);
  assert.deepEqual(published.slice(4).map(describe), ["/p prt_a: world"], "the window ends");
});

Deno.test("flush lets held deltas go at once; non-delta events are never held", () => {
  const published: HubEvent[] = [];
  const coalescer = new DeltaCoalescer((event) => published.push(event), { windowMs: 60_000 });
  coalescer.push(other("session.status"));
  assert.deepEqual(published.map(describe), ["session.status"]);
  coalescer.push(delta("prt_a", "tail"));
  coalescer.flush();
  coalescer.flush();
  assert.deepEqual(published.map(describe), ["session.status", "/p prt_a:tail"]);
});
