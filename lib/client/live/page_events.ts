/**
 * Which events a tab applies, by the machine its page belongs to: Palot's one stream carries every
 * machine's events, each other server's tagged with its id (`server`). A page of this machine takes
 * this machine's; a page of another machine (`/s/<server>/...`) takes that server's, and reads its
 * `palot.server` status as its connection (offline: the chat says so and keeps its draft; back:
 * connected, and everything is read again). Of every other machine a page takes what says how its
 * sessions are doing ({@linkcode ACTIVITY_EVENTS}: their titles, status and requests), so `Active
 * now`, the tab's `(N)`, notices and notifications count every machine's sessions. Every page
 * keeps each machine's latest status in {@linkcode machineStates} for the home page's headings.
 */

import { signal } from "@preact/signals";
import type { MachineState } from "../../common/machine_status.ts";
import type { StoreEvent } from "./state.ts";

/** The events of machines other than the page's that a page applies: its sessions' activity. */
export const ACTIVITY_EVENTS: ReadonlySet<string> = new Set([
  "session.created",
  "session.updated",
  "session.deleted",
  "session.status",
  "session.idle",
  "session.error",
  "permission.asked",
  "permission.replied",
  "question.asked",
  "question.replied",
  "question.rejected",
]);

/** Each other machine's latest status, by server id, as its events told. */
export const machineStates = signal<Record<string, MachineState>>({});

/**
 * The events to apply for `event` on a page of `page` (`undefined`: this machine).
 *
 * @example
 * ```ts
 * for (const each of eventsForPage(event, pageServer())) queue.push(each);
 * ```
 */
export function eventsForPage(event: StoreEvent, page: string | undefined): StoreEvent[] {
  const type = event.payload.type;
  if (type === "palot.server") {
    const status = (event.payload.properties ?? {}) as MachineState & { server?: string };
    if (typeof status.server !== "string") return [];
    machineStates.value = { ...machineStates.peek(), [status.server]: status };
    if (status.server !== page) return [];
    const connected = status.state === "online";
    const connection = {
      directory: "",
      payload: { type: "palot.connection", properties: { connected } },
    };
    return connected
      ? [connection, { directory: "", payload: { type: "palot.resync", properties: {} } }]
      : [connection];
  }
  const from = (event as { server?: unknown }).server;
  if ((typeof from === "string" ? from : undefined) === page) return [event];
  if (ACTIVITY_EVENTS.has(type)) return [event];
  // Palot's own stream restarting: every page reads again. This machine's OpenCode connection is
  // not another machine's page's business.
  return type === "palot.resync" ? [event] : [];
}
