/**
 * One event stream per browser, shared by all its Palot tabs. The tabs elect a leader with the
 * Web Locks API: the tab holding the lock holds the only `/api/events` connection (shown or
 * hidden) and passes every message to the others over a `BroadcastChannel`; when it closes, the
 * lock passes to another tab, which resumes the stream from the last event id it received, so
 * nothing is lost. Every tab feeds the same `processEvent`. A tab that opens asks the leader for
 * the events since its page was rendered. Tabs also tell each other which session they show, so
 * the leader alone can decide whether the user is looking at a session (one notification per
 * event, however many tabs). Needs a secure context (Web Locks); `connection.ts` falls back
 * to one stream per tab elsewhere.
 */

import { isNewerId, openEventStream, parseEvent } from "./event_source.ts";
import { processEvent } from "./scheduler.ts";
import { server, type ServerState, type StoreEvent } from "./state.ts";

const LOCK_NAME = "palot-event-stream";
const CHANNEL_NAME = "palot-events";
/** Messages every tab keeps, to replay to a tab that opens after them. */
const RECENT_LIMIT = 2_000;
/** How long a new tab holds live messages back while it waits for the leader's replay. */
const CATCH_UP_TIMEOUT_MS = 3_000;

interface Relayed {
  id?: string;
  data: string;
}

/** What a tab shows, for the leader to know whether the user is looking at a session. */
export interface TabView {
  sessionID?: string;
  visible: boolean;
}

type ChannelMessage =
  | { kind: "event"; event: Relayed }
  | { kind: "server"; state: ServerState }
  | { kind: "hello"; tab: string; lastEventId: string }
  | { kind: "replay"; to: string; events: Relayed[] | "too-old"; state: ServerState }
  | { kind: "view"; tab: string; view: TabView }
  | { kind: "bye"; tab: string }
  | { kind: "who" }
  | { kind: "app"; topic: string; data: unknown };

/** A tab's share of the stream, as `connectEvents` returns it. */
export interface SharedStream {
  close(): void;
}

type LeaderListener = (event: StoreEvent, id: string | undefined) => void;
type AppListener = (data: unknown) => void;

const leaderListeners = new Set<LeaderListener>();
const appListeners = new Map<string, Set<AppListener>>();
const views = new Map<string, TabView>();
let post: ((message: ChannelMessage) => void) | undefined;
let leading = false;

/** Whether the shared stream can work here: Web Locks (secure contexts only) and BroadcastChannel. */
export function canShareStream(): boolean {
  return globalThis.isSecureContext === true && typeof navigator !== "undefined" &&
    "locks" in navigator && typeof BroadcastChannel === "function";
}

/**
 * Calls `listener` with each event this tab receives while it holds the stream (the leader, or a
 * tab with a stream of its own): decisions made here are made once per browser.
 *
 * @example
 * ```ts
 * onLeaderEvent((event) => { if (event.payload.type === "session.idle") notify(event); });
 * ```
 */
export function onLeaderEvent(listener: LeaderListener): () => void {
  leaderListeners.add(listener);
  return () => leaderListeners.delete(listener);
}

/** Whether a shown Palot tab of this browser has `sessionID` on screen (as the leader knows it). */
export function isLookedAt(sessionID: string): boolean {
  for (const view of views.values()) if (view.visible && view.sessionID === sessionID) return true;
  return false;
}

/** Sends `data` to every Palot tab of this browser under `topic`, this one included. */
export function shareMessage(topic: string, data: unknown): void {
  post?.({ kind: "app", topic, data });
  for (const listener of appListeners.get(topic) ?? []) listener(data);
}

/** Calls `listener` with what any tab shares under `topic`. */
export function onSharedMessage(topic: string, listener: AppListener): () => void {
  let set = appListeners.get(topic);
  if (!set) appListeners.set(topic, set = new Set());
  set.add(listener);
  return () => set.delete(listener);
}

/** Hands a message held by this tab's own stream to the leader listeners. */
export function deliverToLeaderListeners(event: StoreEvent, id: string | undefined): void {
  for (const listener of leaderListeners) listener(event, id);
}

/** The session a page shows, from its address (this machine's or another's, `/s/<server>/…`). */
export function currentView(): TabView {
  const match = location.pathname.match(/^(?:\/s\/[^/]+)?\/session\/([^/]+)/);
  return {
    sessionID: match ? decodeURIComponent(match[1]) : undefined,
    visible: document.visibilityState === "visible",
  };
}

/** Records this tab's own view (a tab with its own stream is its own leader). */
export function setOwnView(tab: string, view: TabView): void {
  views.set(tab, view);
}

/**
 * Joins (or starts) the browser's shared stream.
 *
 * @example
 * ```ts
 * if (canShareStream()) shareEventStream("/api/events", pageEventId());
 * ```
 */
export function shareEventStream(url: string, pageEventId: string): SharedStream {
  const tab = crypto.randomUUID();
  const channel = new BroadcastChannel(CHANNEL_NAME);
  const release = new AbortController();
  let releaseLock: (() => void) | undefined;
  let last = pageEventId;
  /** The id this tab's history starts after: it can replay anything newer. */
  const recentFrom = pageEventId;
  const recent: Relayed[] = [];
  let catchingUp: Relayed[] | undefined = [];
  let stream: { close(): void } | undefined;

  post = (message) => channel.postMessage(message);

  const deliver = (message: Relayed) => {
    if (message.id) {
      if (!isNewerId(message.id, last)) return;
      last = message.id;
      recent.push(message);
      if (recent.length > RECENT_LIMIT) recent.splice(0, recent.length - RECENT_LIMIT);
    }
    const event = parseEvent(message.data) as StoreEvent | undefined;
    if (!event) return;
    processEvent(event);
    if (leading) deliverToLeaderListeners(event, message.id);
  };
  const finishCatchUp = (replayed: Relayed[] | "too-old") => {
    const held = catchingUp;
    if (!held) return;
    catchingUp = undefined;
    if (replayed === "too-old") {
      processEvent({ directory: "", payload: { type: "palot.resync", properties: {} } });
    } else replayed.forEach(deliver);
    held.forEach(deliver);
  };
  /** What came after `id`, or "too-old" when this tab did not see all of it. */
  const since = (id: string): Relayed[] | "too-old" => {
    if (!id) return [];
    // This tab has every message after `base` (after its page, or its oldest kept message).
    const base = recent.length === RECENT_LIMIT ? recent[0].id! : recentFrom;
    if (!base || isNewerId(base, id)) return "too-old";
    return recent.filter((message) => isNewerId(message.id!, id));
  };
  const announce = () => {
    const view = currentView();
    views.set(tab, view);
    post?.({ kind: "view", tab, view });
  };

  channel.onmessage = ({ data }: MessageEvent<ChannelMessage>) => {
    switch (data.kind) {
      case "event":
        if (catchingUp) catchingUp.push(data.event);
        else deliver(data.event);
        break;
      case "server":
        server.value = data.state;
        break;
      case "hello":
        if (leading) {
          channel.postMessage(
            {
              kind: "replay",
              to: data.tab,
              events: since(data.lastEventId),
              state: server.peek(),
            } satisfies ChannelMessage,
          );
        }
        break;
      case "replay":
        if (data.to === tab) {
          server.value = data.state;
          finishCatchUp(data.events);
        }
        break;
      case "view":
        views.set(data.tab, data.view);
        break;
      case "bye":
        views.delete(data.tab);
        break;
      case "who":
        announce();
        break;
      case "app":
        for (const listener of appListeners.get(data.topic) ?? []) listener(data.data);
        break;
    }
  };

  const lead = () => {
    leading = true;
    finishCatchUp([]);
    views.clear();
    announce();
    channel.postMessage({ kind: "who" } satisfies ChannelMessage);
    stream = openEventStream(url, () => last, {
      onMessage(id, data) {
        const message: Relayed = id ? { id, data } : { data };
        channel.postMessage({ kind: "event", event: message } satisfies ChannelMessage);
        deliver(message);
      },
      onState(state) {
        server.value = state;
        channel.postMessage({ kind: "server", state } satisfies ChannelMessage);
      },
    });
    return new Promise<void>((resolve) => (releaseLock = resolve));
  };

  channel.postMessage({ kind: "hello", tab, lastEventId: last } satisfies ChannelMessage);
  const catchUpTimer = setTimeout(() => finishCatchUp([]), CATCH_UP_TIMEOUT_MS);
  navigator.locks.request(LOCK_NAME, { signal: release.signal }, lead).catch(() => {});
  announce();
  const onVisibility = () => announce();
  const onPageHide = () => channel.postMessage({ kind: "bye", tab } satisfies ChannelMessage);
  document.addEventListener("visibilitychange", onVisibility);
  globalThis.addEventListener("pagehide", onPageHide);

  return {
    close() {
      clearTimeout(catchUpTimer);
      onPageHide();
      document.removeEventListener("visibilitychange", onVisibility);
      globalThis.removeEventListener("pagehide", onPageHide);
      stream?.close();
      release.abort();
      releaseLock?.();
      leading = false;
      post = undefined;
      channel.close();
      server.value = { connected: false, status: "disconnected" };
    },
  };
}
