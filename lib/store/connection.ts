/**
 * The tab's one connection to Palot's `/api/events`: an `EventSource` feeding
 * {@linkcode processEvent}, the `server` signal kept current (Connected, Reconnecting…,
 * Disconnected), and catching up after the tab slept. Only a shown tab holds a stream: a browser
 * allows six connections per host, so a tab hidden for a few seconds closes its stream, and a tab
 * opened in the background opens none; shown again, it reopens the stream with the last event id
 * and gets what it missed.
 */

import { processEvent, server } from "./store.ts";

/** How long a hidden tab keeps its stream, so that a quick switch between tabs costs nothing. */
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
 * Opens the tab's event stream once; later calls return the same connection.
 *
 * @example
 * ```ts
 * connectEvents();
 * effect(() => console.log(server.value.status));
 * ```
 */
export function connectEvents(url = "/api/events"): Connection {
  if (connection) return connection;
  let lastEventId = pageEventId();
  let source: EventSource | undefined;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let pauseTimer: ReturnType<typeof setTimeout> | undefined;
  let retryDelay = 1000;
  let closed = false;

  const open = () => {
    clearTimeout(retryTimer);
    source?.close();
    const target = lastEventId ? `${url}?lastEventId=${encodeURIComponent(lastEventId)}` : url;
    source = new EventSource(target);
    source.onopen = () => {
      retryDelay = 1000;
    };
    source.onmessage = (message) => {
      if (message.lastEventId) lastEventId = message.lastEventId;
      try {
        processEvent(JSON.parse(message.data));
      } catch (error) {
        console.warn("Ignoring a malformed event", error);
      }
    };
    source.onerror = () => {
      server.value = { connected: false, status: "reconnecting" };
      // EventSource retries by itself unless the server refused it; then retry here, slower each time.
      if (source?.readyState === EventSource.CLOSED && !closed) {
        retryTimer = setTimeout(open, retryDelay);
        retryDelay = Math.min(retryDelay * 2, 30_000);
      }
    };
  };

  const pause = () => {
    clearTimeout(retryTimer);
    source?.close();
    source = undefined;
  };
  const onVisibility = () => {
    if (closed) return;
    clearTimeout(pauseTimer);
    if (document.visibilityState === "hidden") pauseTimer = setTimeout(pause, HIDDEN_GRACE_MS);
    else if (!source || source.readyState === EventSource.CLOSED) open();
  };
  const onOffline = () => {
    server.value = { connected: false, status: "disconnected" };
  };
  document.addEventListener("visibilitychange", onVisibility);
  globalThis.addEventListener("online", onVisibility);
  globalThis.addEventListener("offline", onOffline);
  if (document.visibilityState === "visible") open();

  connection = {
    close() {
      closed = true;
      clearTimeout(pauseTimer);
      pause();
      document.removeEventListener("visibilitychange", onVisibility);
      globalThis.removeEventListener("online", onVisibility);
      globalThis.removeEventListener("offline", onOffline);
      server.value = { connected: false, status: "disconnected" };
      connection = undefined;
    },
  };
  return connection;
}
