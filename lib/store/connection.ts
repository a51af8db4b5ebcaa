/**
 * The tab's one connection to Palot's `/api/events`: an `EventSource` feeding
 * {@linkcode processEvent}, the `server` signal kept current (Connected, Reconnecting…,
 * Disconnected), and catching up after the tab slept (a closed stream is reopened with the last
 * event id when the tab becomes visible again).
 */

import { processEvent, server } from "./store.ts";

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

  const onVisible = () => {
    if (
      document.visibilityState === "visible" && source?.readyState === EventSource.CLOSED && !closed
    ) open();
  };
  const onOffline = () => {
    server.value = { connected: false, status: "disconnected" };
  };
  document.addEventListener("visibilitychange", onVisible);
  globalThis.addEventListener("online", onVisible);
  globalThis.addEventListener("offline", onOffline);
  open();

  connection = {
    close() {
      closed = true;
      clearTimeout(retryTimer);
      source?.close();
      document.removeEventListener("visibilitychange", onVisible);
      globalThis.removeEventListener("online", onVisible);
      globalThis.removeEventListener("offline", onOffline);
      server.value = { connected: false, status: "disconnected" };
      connection = undefined;
    },
  };
  return connection;
}
