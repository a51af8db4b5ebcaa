/**
 * When events reach the store. {@linkcode processEvent} checks each event at the edge and queues
 * it; queued events are applied together once a frame inside one `batch`, so a burst of deltas
 * causes one render. Each event is applied on its own: one that cannot be read is logged and
 * skipped, and the others of its batch still apply.
 */

import { batch } from "@preact/signals";
import { eventProblem, normalizeEvent } from "./event_shape.ts";
import { applyEvent, EventChanges, SessionDraft } from "./reducer.ts";
import { resyncListeners, type StoreEvent } from "./state.ts";
import { eventsForPage } from "./page_events.ts";
import { pageServer } from "./page_server.ts";

let queue: StoreEvent[] = [];
let scheduled = false;

/**
 * How long streamed text waits to be applied: a reply streams as many deltas a second as the model
 * sends, and drawing it ten times a second, not sixty, leaves the page most frames free.
 */
const DELTA_DELAY_MS = 100;

/**
 * Queues one event; queued events are applied together at the next frame. A batch that starts
 * with streamed text waits {@linkcode DELTA_DELAY_MS} first, and what is queued meanwhile waits
 * with it, so events are always applied in the order they came. An event that lacks what its type
 * needs is logged and dropped here.
 *
 * @example
 * ```ts
 * source.onmessage = (message) => processEvent(JSON.parse(message.data));
 * ```
 */
export function processEvent(event: StoreEvent): void {
  const problem = eventProblem(event);
  if (problem) {
    console.warn(`Skipping an event that cannot be applied: ${problem}`, event);
    return;
  }
  const forPage = eventsForPage(event, pageServer());
  if (forPage.length === 0) return;
  for (const each of forPage) queue.push(normalizeEvent(each));
  if (scheduled) return;
  scheduled = true;
  const delay = event.payload.type === "message.part.delta" ? DELTA_DELAY_MS : 0;
  if (
    typeof requestAnimationFrame === "function" && typeof document !== "undefined" &&
    !document.hidden
  ) {
    if (delay) setTimeout(() => requestAnimationFrame(flush), delay);
    else requestAnimationFrame(flush);
  } else setTimeout(flush, delay);
}

/** Applies every queued event now, in one batch. */
export function flush(): void {
  scheduled = false;
  const events = queue;
  queue = [];
  applyEvents(events);
}

/**
 * Applies `events` in one batch, each on its own: one that throws is logged and leaves no trace,
 * and the rest still apply. Then tells resync listeners.
 */
export function applyEvents(events: StoreEvent[]): void {
  if (events.length === 0) return;
  const resyncs: (string | undefined)[] = [];
  batch(() => {
    const draft = new SessionDraft();
    for (const event of events) {
      const changes = new EventChanges(draft, event.server);
      try {
        applyEvent(event, changes);
      } catch (error) {
        console.warn(`Skipping a "${event.payload?.type}" event that could not be applied`, error);
        continue;
      }
      changes.commit();
      resyncs.push(...changes.resyncs);
    }
    draft.commit();
  });
  for (const directory of resyncs) for (const listener of resyncListeners) listener(directory);
}
