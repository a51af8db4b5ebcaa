/**
 * What needs the user, across every project: a session that finished, failed, or asks a
 * permission or a question while nobody looks at it. {@linkcode attentionFor} reads that from one
 * event; {@linkcode watchAttention} runs it in the tab holding the browser's event stream (so it
 * is decided once per browser), marks finished sessions unread, and shares each attention with
 * every tab (an in-page notice) and the caller (a system notification). Unread marks live in
 * local storage, shared by the tabs; with the sessions waiting for the user (computed from the
 * store in each tab) they make {@linkcode attentionCount}.
 */

import { computed, type ReadonlySignal, type Signal, signal } from "@preact/signals";
import {
  type AttentionKind,
  browserStorage,
  isMuted,
  notificationSettings,
} from "./notification_settings.ts";
import { isLookedAt, onLeaderEvent, onSharedMessage, shareMessage } from "./shared_stream.ts";
import { type SessionEntry, sessions, type StoreEvent } from "./state.ts";
import { errorText } from "../../common/values.ts";
import { sessionHref } from "../../common/remote_paths.ts";

/** Something a session needs the user for. */
export interface Attention {
  /** Unique per event (its stream id when it has one). */
  id: string;
  kind: AttentionKind;
  /** The session to open: the top-level session, also when a sub-agent asks. */
  sessionID: string;
  /** The machine it runs on (Palot's id for it); none for this machine. */
  server?: string;
  title: string;
  /** The project's folder, and its name. */
  directory: string;
  project: string;
  /** The error, for a failure. */
  detail?: string;
}

const UNREAD_KEY = "palot:unread";
const NOTICE_TOPIC = "attention";
/** How long a `Finished` notice stays on screen. */
export const FINISHED_NOTICE_MS = 8_000;

/** In-page notices kept on screen at once. */
const NOTICE_LIMIT = 3;

/**
 * The attention `event` asks for, given what the store knows of its session, or `undefined`.
 * Finishing and failing count for top-level sessions only (a sub-agent's end is part of its
 * parent's turn); a stop the user asked for is no failure.
 *
 * @example
 * ```ts
 * const attention = attentionFor(event, sessions.peek());
 * ```
 */
export function attentionFor(
  event: StoreEvent,
  known: Record<string, SessionEntry>,
  id: string = crypto.randomUUID(),
): Attention | undefined {
  const properties = (event.payload.properties ?? {}) as Record<string, unknown>;
  const sessionID = typeof properties.sessionID === "string" ? properties.sessionID : "";
  if (!sessionID) return undefined;
  const entry = known[sessionID];
  const kind = kindOf(event.payload.type, properties);
  if (!kind) return undefined;
  if ((kind === "finished" || kind === "failed") && entry?.parentID) return undefined;
  const rootID = entry?.parentID ?? sessionID;
  const root = known[rootID] ?? entry;
  const directory = root?.directory || event.directory;
  const server = event.server ?? root?.server;
  return {
    id,
    kind,
    sessionID: rootID,
    ...server ? { server } : {},
    title: root?.title || root?.info?.title || "Untitled session",
    directory,
    project: directory.split(/[\\/]/).filter(Boolean).pop() ?? directory,
    ...(kind === "failed" ? { detail: errorText(properties.error) } : {}),
  };
}

function kindOf(type: string, properties: Record<string, unknown>): AttentionKind | undefined {
  switch (type) {
    case "session.idle":
      return "finished";
    case "session.error":
      return (properties.error as { name?: string } | undefined)?.name === "MessageAbortedError"
        ? undefined
        : "failed";
    case "permission.asked":
      return "permission";
    case "question.asked":
      return "question";
  }
  return undefined;
}

/** A session that finished or failed since the user last looked at it. */
export interface UnreadMark {
  /** When it finished. */
  at: number;
  title: string;
  directory: string;
  /** The machine it runs on; none for this machine. */
  server?: string;
}

function loadUnread(): Record<string, UnreadMark> {
  try {
    const saved = JSON.parse(browserStorage()?.getItem(UNREAD_KEY) ?? "{}");
    if (!saved || typeof saved !== "object") return {};
    const marks: Record<string, UnreadMark> = {};
    for (const [id, mark] of Object.entries(saved)) {
      // Marks saved by an older Palot are only the time.
      marks[id] = typeof mark === "number"
        ? { at: mark, title: "", directory: "" }
        : mark as UnreadMark;
    }
    return marks;
  } catch {
    return {};
  }
}

/** Sessions that finished or failed since the user last looked at them, by id. */
export const unread: Signal<Record<string, UnreadMark>> = signal(loadUnread());

function saveUnread(next: Record<string, UnreadMark>): void {
  unread.value = next;
  browserStorage()?.setItem(UNREAD_KEY, JSON.stringify(next));
}

/** Marks a session read (the user is looking at it). */
export function markRead(sessionID: string): void {
  const current = loadUnread();
  if (!(sessionID in current) && !(sessionID in unread.peek())) return;
  const { [sessionID]: _, ...rest } = current;
  saveUnread(rest);
}

/** The sessions that wait for the user's answer (a sub-agent's request counts for its parent). */
const waitingSessions: ReadonlySignal<Set<string>> = computed(() => {
  const waiting = new Set<string>();
  for (const entry of Object.values(sessions.value)) {
    if (entry.permissions.length + entry.questions.length > 0) {
      waiting.add(entry.parentID ?? entry.id);
    }
  }
  return waiting;
});

/**
 * How many sessions need the user: waiting for an answer, or unread. One count for the tab's title
 * (`(2) Palot`), the icon's dot and the marks in lists, so the three always agree.
 */
export const attentionCount: ReadonlySignal<number> = computed(() =>
  new Set([...waitingSessions.value, ...Object.keys(unread.value)]).size
);

/** The notices this tab shows, newest last. */
export const notices: Signal<Attention[]> = signal([]);

/** Removes a notice from this tab. */
export function dismissNotice(id: string): void {
  notices.value = notices.value.filter((notice) => notice.id !== id);
}

let watching = false;

/**
 * Starts following what needs the user, once per tab: `notify` is called for each attention
 * the user wants interrupted for (settings, muted projects), in one tab of the browser only.
 *
 * @example
 * ```ts
 * watchAttention((attention) => new Notification(attention.title));
 * ```
 */
export function watchAttention(notify: (attention: Attention) => void): void {
  if (watching) return;
  watching = true;
  addEventListener("storage", (event: StorageEvent) => {
    if (event.key === UNREAD_KEY) unread.value = loadUnread();
  });
  onSharedMessage(NOTICE_TOPIC, (data) => {
    const attention = data as Attention;
    if (showsSession(attention)) return;
    notices.value = [...notices.value, attention].slice(-NOTICE_LIMIT);
    // A session that finished is news, not a task: its notice goes by itself (the title's count,
    // the icon and the unread marks still say it). What asks or failed stays until dismissed.
    if (attention.kind === "finished") {
      setTimeout(() => dismissNotice(attention.id), FINISHED_NOTICE_MS);
    }
  });
  /** Sessions whose turn failed: their end is not also announced as finished. */
  const failed = new Set<string>();
  onLeaderEvent((event, id) => {
    const attention = attentionFor(event, sessions.peek(), id ?? crypto.randomUUID());
    const { type } = event.payload;
    const properties = event.payload.properties as
      | { sessionID?: string; status?: { type?: string } }
      | undefined;
    if (type === "session.status" && properties?.status?.type === "busy") {
      failed.delete(properties.sessionID ?? "");
    }
    if (!attention) return;
    if (attention.kind === "failed") failed.add(attention.sessionID);
    else if (attention.kind === "finished" && failed.delete(attention.sessionID)) return;
    if (isLookedAt(attention.sessionID)) return;
    if (attention.kind === "finished" || attention.kind === "failed") {
      const mark: UnreadMark = {
        at: Date.now(),
        title: attention.title,
        directory: attention.directory,
        ...attention.server ? { server: attention.server } : {},
      };
      saveUnread({ ...loadUnread(), [attention.sessionID]: mark });
    }
    const settings = notificationSettings.peek();
    if (!settings.kinds[attention.kind] || isMuted(attention.directory, settings)) return;
    shareMessage(NOTICE_TOPIC, attention);
    notify(attention);
  });
}

/** Whether this tab shows the attention's session and is visible. */
function showsSession({ server, sessionID }: Attention): boolean {
  return document.visibilityState === "visible" &&
    location.pathname === sessionHref(server, sessionID);
}
