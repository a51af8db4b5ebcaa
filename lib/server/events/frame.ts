/**
 * The server-sent-events framing of one hub event, as tabs receive it on `/api/events`:
 * `id: <epoch>:<n>`, then `data: <JSON {directory, payload}>`, then a blank line. It is built once
 * per event, when the hub stamps it, and shared by every tab that receives or replays it.
 */

import type { HubEvent } from "../../common/hub_event.ts";

const encoder = new TextEncoder();

/**
 * The UTF-8 SSE frame of event `id` of the hub whose epoch is `epoch`. JSON never holds a raw
 * newline, so the data is one line.
 *
 * @example
 * ```ts
 * eventFrame("1a2b3c4d", 7, { directory: "/p", payload: { type: "session.idle" } });
 * // id: 1a2b3c4d:7\ndata: {"directory":"/p","payload":{"type":"session.idle"}}\n\n
 * ```
 */
export function eventFrame(epoch: string, id: number, event: HubEvent): Uint8Array {
  return encoder.encode(`id: ${epoch}:${id}\ndata: ${JSON.stringify(event)}\n\n`);
}

/**
 * An SSE message without an id (Palot's own notices, which must not move a tab's resume point).
 *
 * @example
 * ```ts
 * controller.enqueue(dataFrame(palotEvent("palot.resync")));
 * ```
 */
export function dataFrame(event: HubEvent): Uint8Array {
  return encoder.encode(`data: ${JSON.stringify(event)}\n\n`);
}
