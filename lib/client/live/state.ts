/**
 * The browser's live state, as signals shared by every island of a tab: the one server
 * connection, a flat map of sessions keyed by id (each knowing its directory and project), the
 * current branch of each directory, and messages with their parts for the sessions on screen.
 * The reducer changes it from events; the functions here seed and read it from pages and the API.
 */

import { type Signal, signal } from "@preact/signals";
import type {
  Message,
  Part,
  PermissionRequest,
  QuestionRequest,
  Session,
  Todo,
} from "@opencode-ai/sdk/v2/client";
import type { SessionStatusName } from "../../common/session_status.ts";

/** An event as `/api/events` delivers it. */
export interface StoreEvent {
  directory: string;
  /** The machine it comes from (Palot's id for it); none for this machine. */
  server?: string;
  payload: { type: string; properties?: unknown };
}

export interface SessionEntry {
  id: string;
  directory: string;
  /** Palot's id of the machine it runs on (Settings → Servers); none for this machine. */
  server?: string;
  projectID?: string;
  parentID?: string;
  title?: string;
  /** The full session, once an event or the API has delivered it. */
  info?: Session;
  status: SessionStatusName;
  /** The last error, in plain words. */
  error?: string;
  /** While `status` is `retry`: why, and which attempt. */
  retry?: { attempt: number; message: string };
  /**
   * This tab has seen the session working, failed or waiting on the user (live, seeded, or in the
   * events it caught up on after being hidden, even when the same batch also ended it), so
   * "Active now" keeps listing it once it is idle.
   */
  worked?: boolean;
  permissions: PermissionRequest[];
  questions: QuestionRequest[];
  todos: Todo[];
  /** While it works, what it does now in words (`doingNow`, from its latest part). */
  doing?: string;
}

/** A message on screen: its info and its parts, each a signal so a delta re-renders one part. */
export interface MessageEntry {
  id: string;
  info: Signal<Message>;
  parts: Signal<Signal<Part>[]>;
}

export interface ServerState {
  connected: boolean;
  status: "connecting" | "connected" | "reconnecting" | "disconnected";
}

export const server: Signal<ServerState> = signal({ connected: false, status: "connecting" });
export const sessions: Signal<Record<string, SessionEntry>> = signal({});
/** The current branch of each directory, from `vcs.branch.updated`. */
export const vcsBranches: Signal<Record<string, string>> = signal({});

/** The message lists of the sessions on screen, by session id. */
export const watched = new Map<string, Signal<MessageEntry[]>>();
/** Who to tell when what the tab shows must be reloaded. */
export const resyncListeners = new Set<(directory?: string) => void>();

/**
 * Keeps messages for `sessionID` (on screen), starting from what the page or the API gave.
 *
 * @example
 * ```ts
 * const list = watchSession(id, (await client.session.messages({ sessionID: id })).data ?? []);
 * ```
 */
export function watchSession(
  sessionID: string,
  initial: { info: Message; parts: Part[] }[],
): Signal<MessageEntry[]> {
  const entries = initial.map((message) => toEntry(message.info, message.parts));
  let list = watched.get(sessionID);
  if (list) list.value = entries;
  else {
    list = signal(entries);
    watched.set(sessionID, list);
  }
  return list;
}

/** The watched messages of a session as plain `{info, parts}` (what `session.messages` returns). */
export function messagesOf(sessionID: string): { info: Message; parts: Part[] }[] {
  return (watched.get(sessionID)?.value ?? []).map((entry) => ({
    info: entry.info.value,
    parts: entry.parts.value.map((part) => part.value),
  }));
}

/** Adds sessions known from the page (or the API) without overwriting live state. */
export function seedSessions(
  entries: (Partial<SessionEntry> & { id: string; directory: string })[],
): void {
  const next = { ...sessions.value };
  for (const entry of entries) {
    if (!entry.id) continue;
    next[entry.id] = markWorked({
      ...emptyEntry(entry.id, entry.directory),
      ...entry,
      ...pickLive(next[entry.id]),
    });
  }
  sessions.value = next;
}

/** Merges `patch` into a session's entry (creating it), for state read from the API. */
export function updateSession(id: string, directory: string, patch: Partial<SessionEntry>): void {
  if (!id) return;
  const entry = sessions.value[id] ?? emptyEntry(id, directory);
  sessions.value = { ...sessions.value, [id]: markWorked({ ...entry, ...patch }) };
}

/** Message entries for rendering that are not kept live (server rendering, previews). */
export function messageEntries(messages: { info: Message; parts: Part[] }[]): MessageEntry[] {
  return messages.map((message) => toEntry(message.info, message.parts));
}

/** Calls `listener` when what the tab shows must be reloaded (after an outage, or a disposed instance). */
export function onResync(listener: (directory?: string) => void): () => void {
  resyncListeners.add(listener);
  return () => resyncListeners.delete(listener);
}

/** Permission and question requests of a session and of its sub-agent sessions. */
export function pendingForSession(sessionID: string): {
  permissions: PermissionRequest[];
  questions: QuestionRequest[];
} {
  const all = Object.values(sessions.value);
  const related = all.filter((entry) => entry.id === sessionID || entry.parentID === sessionID);
  return {
    permissions: related.flatMap((entry) => entry.permissions),
    questions: related.flatMap((entry) => entry.questions),
  };
}

/** A session nothing is known about yet but its id and folder. */
export function emptyEntry(id: string, directory: string): SessionEntry {
  return { id, directory, status: "idle", permissions: [], questions: [], todos: [] };
}

/** The live parts of an entry, kept when the page seeds the same session again. */
function pickLive(entry: SessionEntry | undefined): Partial<SessionEntry> {
  if (!entry) return {};
  const { status, error, permissions, questions, todos, worked, info, doing } = entry;
  return {
    status,
    error,
    permissions,
    questions,
    todos,
    worked,
    ...(info ? { info } : {}),
    ...(doing ? { doing } : {}),
  };
}

/** `entry`, with `worked` set once it shows activity: not idle, or waiting on the user. */
export function markWorked(entry: SessionEntry): SessionEntry {
  const active = entry.status !== "idle" || entry.permissions.length > 0 ||
    entry.questions.length > 0;
  return active && !entry.worked ? { ...entry, worked: true } : entry;
}

/** A message and its parts as signals. */
export function toEntry(info: Message, parts: Part[]): MessageEntry {
  return { id: info.id, info: signal(info), parts: signal(parts.map((part) => signal(part))) };
}
