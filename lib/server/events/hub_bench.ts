/**
 * Throughput of the server's live path: each event goes through the status index and the hub to
 * ten subscribers that take its frame (encoded once by the hub, as `/api/events` sends it). One iteration is one event, so Deno's
 * `iter/s` column reads as events per second. The events are a real opencode reply recorded in
 * `lib/store/testdata/` (deltas, part and message updates, statuses), played in a loop.
 *
 * Run: `deno bench -A lib/events/hub_bench.ts`
 */

import { join } from "node:path";
import { EventHub } from "./hub.ts";
import type { HubEvent } from "../../shared/hub_event.ts";
import { StatusIndex } from "./status_index.ts";

const TESTDATA = join(
  import.meta.dirname!,
  "..",
  "..",
  "..",
  "testing",
  "testdata",
  "recorded_events",
);
const TABS = 10;

async function recorded(name: string): Promise<HubEvent[]> {
  const { events } = JSON.parse(await Deno.readTextFile(join(TESTDATA, `${name}.json`)));
  return events.map((event: { directory?: string; payload: HubEvent["payload"] }) => ({
    directory: event.directory ?? "",
    payload: event.payload,
  }));
}

/** An index and a hub with `TABS` subscribers that format SSE like `/api/events`. */
function liveServer() {
  const index = new StatusIndex();
  const hub = new EventHub();
  let bytes = 0;
  for (let tab = 0; tab < TABS; tab++) {
    hub.subscribe((stamped) => {
      bytes += stamped.frame.length;
    });
  }
  return {
    publish(event: HubEvent) {
      index.apply(event);
      hub.publish(event);
    },
    /** Bytes the tabs would have been sent (keeps the work observable). */
    sent: () => bytes,
  };
}

const streaming = await recorded("streaming");
const twoDirectories = await recorded("two_directories");

for (
  const [name, events] of [["streaming", streaming], ["two_directories", twoDirectories]] as const
) {
  const server = liveServer();
  let next = 0;
  Deno.bench(`${name} events through index → hub → ${TABS} tabs`, { group: "hub" }, () => {
    server.publish(events[next]);
    next = (next + 1) % events.length;
  });
}

const delta: HubEvent = {
  directory: "/home/me/app",
  payload: {
    type: "message.part.delta",
    properties: {
      sessionID: "ses_0123456789abcdefABCDEF",
      messageID: "msg_0123456789abcdefABCDEF",
      partID: "prt_0123456789abcdefABCDEF",
      field: "text",
      delta: "a few words of a streamed reply ",
    },
  },
};
const deltaServer = liveServer();
Deno.bench(`one text delta through index → hub → ${TABS} tabs`, { group: "hub" }, () => {
  deltaServer.publish(delta);
});
