/**
 * The browser's live state, as signals shared by every island of a tab: the one server
 * connection, a flat map of sessions keyed by id (each knowing its directory and project), and
 * messages with their parts for the sessions on screen. {@linkcode processEvent} routes each event
 * by its own content (`info.directory`, `sessionID`), never by a server id; events are queued and
 * applied once a frame inside one `batch`, so a burst of deltas causes one render.
 */

import { batch, type Signal, signal } from "@preact/signals";
import type {
  Message,
  Part,
  PermissionRequest,
  QuestionRequest,
  Session,
  Todo,
} from "@opencode-ai/sdk/v2/client";

/** An event as `/api/events` delivers it. */
export interface StoreEvent {
  directory: string;
  payload: { type: string; properties?: unknown };
}

export type SessionStatusName = "idle" | "busy" | "retry" | "error";

export interface SessionEntry {
  id: string;
  directory: string;
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

const watched = new Map<string, Signal<MessageEntry[]>>();
const resyncListeners = new Set<(directory?: string) => void>();

type Properties = Record<string, unknown>;
const str = (value: unknown): string => (typeof value === "string" ? value : "");

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
 * with it, so events are always applied in the order they came.
 *
 * @example
 * ```ts
 * source.onmessage = (message) => processEvent(JSON.parse(message.data));
 * ```
 */
export function processEvent(event: StoreEvent): void {
  queue.push(event);
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
  if (events.length === 0) return;
  const resyncs: (string | undefined)[] = [];
  batch(() => {
    const draft = new SessionDraft();
    for (const event of events) apply(event, draft, resyncs);
    draft.commit();
  });
  for (const directory of resyncs) for (const listener of resyncListeners) listener(directory);
}

/** Copy-on-write access to `sessions`, so a batch of events builds one new map. */
class SessionDraft {
  #next: Record<string, SessionEntry> | undefined;

  get(id: string): SessionEntry | undefined {
    return (this.#next ?? sessions.value)[id];
  }

  update(
    id: string,
    directory: string,
    change: (entry: SessionEntry) => Partial<SessionEntry>,
  ): void {
    this.#next ??= { ...sessions.value };
    const entry = this.#next[id] ?? emptyEntry(id, directory);
    this.#next[id] = markWorked({ ...entry, ...change(entry) });
  }

  delete(id: string): void {
    this.#next ??= { ...sessions.value };
    delete this.#next[id];
  }

  commit(): void {
    if (this.#next) sessions.value = this.#next;
  }
}

function apply(event: StoreEvent, draft: SessionDraft, resyncs: (string | undefined)[]): void {
  const properties = (event.payload.properties ?? {}) as Properties;
  const sessionID = str(properties.sessionID);
  switch (event.payload.type) {
    case "session.created":
    case "session.updated": {
      const info = properties.info as Session;
      draft.update(info.id, info.directory || event.directory, () => ({
        info,
        directory: info.directory || event.directory,
        projectID: info.projectID,
        parentID: info.parentID,
        title: info.title,
      }));
      break;
    }
    case "session.deleted": {
      const id = sessionID || str((properties.info as Properties | undefined)?.id);
      draft.delete(id);
      watched.delete(id);
      break;
    }
    case "session.status": {
      const status = (properties.status ?? {}) as Properties;
      const type = str(status.type) as SessionStatusName;
      draft.update(sessionID, event.directory, () => ({
        status: type || "idle",
        retry: type === "retry"
          ? { attempt: Number(status.attempt) || 1, message: str(status.message) }
          : undefined,
        ...(type === "busy" ? { error: undefined } : {}),
      }));
      break;
    }
    case "session.idle":
      draft.update(sessionID, event.directory, (entry) => ({
        status: entry.status === "error" ? "error" : "idle",
      }));
      break;
    case "session.error":
      if (sessionID) {
        draft.update(sessionID, event.directory, () => ({
          status: "error",
          error: errorText(properties.error),
        }));
      }
      break;
    case "message.updated":
      upsertMessage(properties.info as Message);
      break;
    case "message.removed": {
      const list = watched.get(sessionID);
      if (list) list.value = list.value.filter((entry) => entry.id !== str(properties.messageID));
      break;
    }
    case "message.part.updated":
      upsertPart(properties.part as Part);
      break;
    case "message.part.removed": {
      const message = findMessage(sessionID, str(properties.messageID));
      if (message) {
        message.parts.value = message.parts.value.filter((part) =>
          part.value.id !== str(properties.partID)
        );
      }
      break;
    }
    case "message.part.delta": {
      const message = findMessage(sessionID, str(properties.messageID));
      const part = message?.parts.value.find((candidate) =>
        candidate.value.id === str(properties.partID)
      );
      if (part) {
        const field = str(properties.field);
        const current = (part.value as unknown as Properties)[field];
        part.value = { ...part.value, [field]: str(current) + str(properties.delta) } as Part;
      }
      break;
    }
    case "permission.asked": {
      const request = properties as unknown as PermissionRequest;
      draft.update(sessionID, event.directory, (entry) => ({
        permissions: [...entry.permissions.filter((known) => known.id !== request.id), request],
      }));
      break;
    }
    case "permission.replied":
      draft.update(sessionID, event.directory, (entry) => ({
        permissions: entry.permissions.filter((known) => known.id !== str(properties.requestID)),
      }));
      break;
    case "question.asked": {
      const request = properties as unknown as QuestionRequest;
      draft.update(sessionID, event.directory, (entry) => ({
        questions: [...entry.questions.filter((known) => known.id !== request.id), request],
      }));
      break;
    }
    case "question.replied":
    case "question.rejected":
      draft.update(sessionID, event.directory, (entry) => ({
        questions: entry.questions.filter((known) => known.id !== str(properties.requestID)),
      }));
      break;
    case "todo.updated":
      draft.update(
        sessionID,
        event.directory,
        () => ({ todos: (properties.todos ?? []) as Todo[] }),
      );
      break;
    case "vcs.branch.updated":
      vcsBranches.value = { ...vcsBranches.value, [event.directory]: str(properties.branch) };
      break;
    case "server.instance.disposed":
      resyncs.push(str(properties.directory) || event.directory);
      break;
    case "palot.connection": {
      const connected = properties.connected === true;
      server.value = { connected, status: connected ? "connected" : "reconnecting" };
      break;
    }
    case "palot.resync":
      resyncs.push(undefined);
      break;
  }
}

function emptyEntry(id: string, directory: string): SessionEntry {
  return { id, directory, status: "idle", permissions: [], questions: [], todos: [] };
}

/** The live parts of an entry, kept when the page seeds the same session again. */
function pickLive(entry: SessionEntry | undefined): Partial<SessionEntry> {
  if (!entry) return {};
  const { status, error, permissions, questions, todos, worked, info } = entry;
  return { status, error, permissions, questions, todos, worked, ...(info ? { info } : {}) };
}

/** `entry`, with `worked` set once it shows activity: not idle, or waiting on the user. */
function markWorked(entry: SessionEntry): SessionEntry {
  const active = entry.status !== "idle" || entry.permissions.length > 0 ||
    entry.questions.length > 0;
  return active && !entry.worked ? { ...entry, worked: true } : entry;
}

function toEntry(info: Message, parts: Part[]): MessageEntry {
  return { id: info.id, info: signal(info), parts: signal(parts.map((part) => signal(part))) };
}

function findMessage(sessionID: string, messageID: string): MessageEntry | undefined {
  return watched.get(sessionID)?.value.find((entry) => entry.id === messageID);
}

function upsertMessage(info: Message): void {
  const list = watched.get(info.sessionID);
  if (!list) return;
  const existing = list.value.find((entry) => entry.id === info.id);
  if (existing) existing.info.value = info;
  else list.value = insertSorted(list.value, toEntry(info, []));
}

function upsertPart(part: Part): void {
  const list = watched.get(part.sessionID);
  if (!list) return;
  let message = list.value.find((entry) => entry.id === part.messageID);
  if (!message) {
    // The part came before its message: keep it under a placeholder that message.updated fills.
    const placeholder = {
      id: part.messageID,
      sessionID: part.sessionID,
      role: "assistant",
    } as Message;
    message = toEntry(placeholder, []);
    list.value = insertSorted(list.value, message);
  }
  const existing = message.parts.value.find((candidate) => candidate.value.id === part.id);
  if (existing) existing.value = part;
  else {
    const parts = [...message.parts.value, signal(part)];
    parts.sort((a, b) => compareIds(a.value.id, b.value.id));
    message.parts.value = parts;
  }
}

/** OpenCode's ids grow with time, so their order is creation order. */
function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function insertSorted(list: MessageEntry[], entry: MessageEntry): MessageEntry[] {
  const next = [...list, entry];
  next.sort((a, b) => compareIds(a.id, b.id));
  return next;
}

/** An OpenCode error object in plain words. */
export function errorText(error: unknown): string {
  if (!error || typeof error !== "object") return "Something went wrong";
  const { name, data } = error as { name?: string; data?: { message?: string } };
  if (name === "MessageAbortedError") return "Stopped";
  return data?.message || name || "Something went wrong";
}
