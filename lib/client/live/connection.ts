/**
 * The tab's connection to Palot's `/api/events`, feeding {@linkcode processEvent} and keeping the
 * `server` signal current (Connected, Reconnecting…, Disconnected). Where the browser allows it,
 * all Palot tabs share one stream (`shared_stream.ts`): every tab stays live, shown or hidden.
 * Elsewhere (Web Locks need a secure context, so plain `http://` from another device) each tab
 * holds its own stream, and only while shown: a browser allows six connections per host, so a tab
 * hidden for a few seconds closes its stream and one opened in the background opens none; shown
 * again, it reopens the stream with the last event id and gets what it missed.
 */

import { isNewerId, openEventStream, parseEvent } from "./event_source.ts";
import { processEvent } from "./scheduler.ts";
import {
  canShareStream,
  currentView,
  deliverToLeaderListeners,
  setOwnView,
  shareEventStream,
} from "./shared_stream.ts";
import { server, type StoreEvent } from "./state.ts";

/** How long a hidden tab keeps its own stream, so that a quick switch between tabs costs nothing. */
const HIDDEN_GRACE_MS = 5_000;

interface Connection {
  close(): void;
}

let connection: Connection | undefined;

/** The last event id the page was rendered at, from `<meta name="palot-event-id">`. */
function pageEventId(): string {
  return document.querySelector<HTMLMetaElement>('meta[name="palot-event-id"]')?.content ?? "";
}

/**
 * Opens the tab's event stream once (shared with the browser's other Palot tabs where possible);
 * later calls return the same connection.
 *
 * @example
 * ```ts
 * connectEvents();
 * effect(() => console.log(server.value.status));
 * ```
 */
export function connectEvents(url = "/api/events"): Connection {
  if (connection) return connection;
  const opened = canShareStream()
    ? shareEventStream(url, pageEventId())
    : ownEventStream(url, pageEventId());
  connection = {
    close() {
      opened.close();
      connection = undefined;
    },
  };
  return connection;
}

/** A stream for this tab alone, held only while the tab is shown. */
function ownEventStream(url: string, pageId: string): Connection {
  let lastEventId = pageId;
  let stream: { close(): void } | undefined;
  let pauseTimer: ReturnType<typeof setTimeout> | undefined;
  let closed = false;
  const open = () => {
    stream?.close();
    stream = openEventStream(url, () => lastEventId, {
      onMessage(id, data) {
        if (id) {
          if (!isNewerId(id, lastEventId)) return;
          lastEventId = id;
        }
        const event = parseEvent(data) as StoreEvent | undefined;
        if (!event) return;
        processEvent(event);
        deliverToLeaderListeners(event, id);
      },
      onState(state) {
        server.value = state;
      },
    });
  };
  const pause = () => {
    stream?.close();
    stream = undefined;
  };
  const onVisibility = () => {
    setOwnView("self", currentView());
    if (closed) return;
    clearTimeout(pauseTimer);
    if (document.visibilityState === "hidden") pauseTimer = setTimeout(pause, HIDDEN_GRACE_MS);
    else if (!stream) open();
  };
  const onOffline = () => {
    server.value = { connected: false, status: "disconnected" };
  };
  document.addEventListener("visibilitychange", onVisibility);
  globalThis.addEventListener("online", onVisibility);
  globalThis.addEventListener("offline", onOffline);
  setOwnView("self", currentView());
  if (document.visibilityState === "visible") open();
  return {
    close() {
      closed = true;
      clearTimeout(pauseTimer);
      pause();
      document.removeEventListener("visibilitychange", onVisibility);
      globalThis.removeEventListener("online", onVisibility);
      globalThis.removeEventListener("offline", onOffline);
      server.value = { connected: false, status: "disconnected" };
    },
  };
}
