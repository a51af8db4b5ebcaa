/**
 * One `EventSource` on Palot's `/api/events`, with what every holder of it needs: it resumes from
 * the last event id it was given, retries (slower each time) when the server refused it, reports
 * the connection state, and tells apart a message that carried an id from one that did not (the
 * browser repeats the previous id for those).
 */

import type { ServerState } from "./state.ts";

export interface StreamHandlers {
  /** One message: its id when it carried one, and its data. */
  onMessage(id: string | undefined, data: string): void;
  /** The stream was lost; it is being reopened. */
  onState(state: ServerState): void;
}

/**
 * Opens the stream at `url`, resuming after `lastEventId()`.
 *
 * @example
 * ```ts
 * const stream = openEventStream("/api/events", () => last, {
 *   onMessage: (id, data) => processEvent(JSON.parse(data)),
 *   onState: (state) => (server.value = state),
 * });
 * ```
 */
export function openEventStream(
  url: string,
  lastEventId: () => string,
  handlers: StreamHandlers,
): { close(): void } {
  let source: EventSource | undefined;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let retryDelay = 1000;
  let closed = false;
  const open = () => {
    clearTimeout(retryTimer);
    source?.close();
    const last = lastEventId();
    let previousId = "";
    source = new EventSource(last ? `${url}?lastEventId=${encodeURIComponent(last)}` : url);
    source.onopen = () => {
      retryDelay = 1000;
    };
    source.onmessage = (message) => {
      const id = message.lastEventId !== previousId ? message.lastEventId : undefined;
      previousId = message.lastEventId;
      handlers.onMessage(id || undefined, message.data);
    };
    source.onerror = () => {
      handlers.onState({ connected: false, status: "reconnecting" });
      // EventSource retries by itself unless the server refused it; then retry here.
      if (source?.readyState === EventSource.CLOSED && !closed) {
        retryTimer = setTimeout(open, retryDelay);
        retryDelay = Math.min(retryDelay * 2, 30_000);
      }
    };
  };
  open();
  return {
    close() {
      closed = true;
      clearTimeout(retryTimer);
      source?.close();
    },
  };
}

/** `id` (`<epoch>:<n>`) comes after `last`: a later number, or another epoch (Palot restarted). */
export function isNewerId(id: string, last: string): boolean {
  const [epoch, count] = id.split(":");
  const [lastEpoch, lastCount] = last.split(":");
  return !last || epoch !== lastEpoch || Number(count) > Number(lastCount);
}

/** Parses and queues one message's data, logging (not throwing) data that is not JSON. */
export function parseEvent(data: string): unknown {
  try {
    return JSON.parse(data);
  } catch (error) {
    console.warn("Ignoring a malformed event", error);
    return undefined;
  }
}
