/**
 * How one event changes the store. {@linkcode applyEvent} reads an event (already checked at the
 * edge, `event_shape.ts`) and stages its changes in an {@linkcode EventChanges}; nothing reaches
 * a signal until the whole event has been read, so an event that fails halfway changes nothing.
 * Sessions are written copy-on-write through a {@linkcode SessionDraft} shared by a batch, so a
 * burst of events builds one new map.
 */

import { type Signal, signal } from "@preact/signals";
import type { Message, Part, Session, Todo } from "@opencode-ai/sdk/v2/client";
import {
  emptyEntry,
  markWorked,
  type MessageEntry,
  server,
  type SessionEntry,
  sessions,
  type StoreEvent,
  toEntry,
  vcsBranches,
  watched,
} from "./state.ts";
import { setSessionDiff } from "./session_diffs.ts";
import type { EventProperties } from "../../common/hub_event.ts";
import { sessionStatus } from "../../common/session_status.ts";
import { doingNow } from "../../common/activity.ts";
import { asString } from "../../common/values.ts";

type Properties = Record<string, unknown>;

/** Copy-on-write access to `sessions` for one batch of events. */
export class SessionDraft {
  #next: Record<string, SessionEntry> | undefined;

  get(id: string): SessionEntry | undefined {
    return (this.#next ?? sessions.value)[id];
  }

  set(id: string, entry: SessionEntry | undefined): void {
    this.#next ??= { ...sessions.value };
    if (entry) this.#next[id] = entry;
    else delete this.#next[id];
  }

  /** Writes the batch's map to `sessions` (once, if anything changed). */
  commit(): void {
    if (this.#next) sessions.value = this.#next;
  }
}

/** The changes of one event, held back until {@linkcode EventChanges.commit}. */
export class EventChanges {
  #draft: SessionDraft;
  #sessions = new Map<string, SessionEntry | undefined>();
  #writes = new Map<Signal<unknown>, unknown>();
  #unwatch: string[] = [];
  /** Directories whose views must reload (`undefined`: all of them). */
  readonly resyncs: (string | undefined)[] = [];
  #server: string | undefined;

  /** `server`: the machine the event comes from (none: this machine), kept on new sessions. */
  constructor(draft: SessionDraft, server?: string) {
    this.#draft = draft;
    this.#server = server;
  }

  session(id: string): SessionEntry | undefined {
    return this.#sessions.has(id) ? this.#sessions.get(id) : this.#draft.get(id);
  }

  /** Merges `change(entry)` into a session's entry, creating it (never for an empty id). */
  updateSession(
    id: string,
    directory: string,
    change: (entry: SessionEntry) => Partial<SessionEntry>,
  ): void {
    if (!id) return;
    const entry = this.session(id) ??
      { ...emptyEntry(id, directory), ...this.#server ? { server: this.#server } : {} };
    this.#sessions.set(id, markWorked({ ...entry, ...change(entry) }));
  }

  deleteSession(id: string): void {
    this.#sessions.set(id, undefined);
    this.#unwatch.push(id);
  }

  /** The value `signal` will have once this event is committed. */
  read<T>(signal: Signal<T>): T {
    return (this.#writes.has(signal) ? this.#writes.get(signal) : signal.peek()) as T;
  }

  write<T>(signal: Signal<T>, value: T): void {
    this.#writes.set(signal as Signal<unknown>, value);
  }

  /** Applies every staged change (inside the caller's `batch`). */
  commit(): void {
    for (const [id, entry] of this.#sessions) this.#draft.set(id, entry);
    for (const [signal, value] of this.#writes) signal.value = value;
    for (const id of this.#unwatch) watched.delete(id);
  }
}

/**
 * Stages the changes `event` makes; throws (changing nothing) if the event cannot be read.
 *
 * @example
 * ```ts
 * const changes = new EventChanges(draft);
 * applyEvent(event, changes);
 * changes.commit();
 * ```
 */
export function applyEvent(event: StoreEvent, changes: EventChanges): void {
  const properties = (event.payload.properties ?? {}) as Properties;
  const sessionID = asString(properties.sessionID);
  const updateSession = (change: (entry: SessionEntry) => Partial<SessionEntry>) =>
    changes.updateSession(sessionID, event.directory, change);
  switch (event.payload.type) {
    case "session.created":
    case "session.updated": {
      const info = properties.info as Session;
      const directory = info.directory || event.directory;
      changes.updateSession(info.id, directory, () => ({
        info,
        directory,
        projectID: info.projectID,
        parentID: info.parentID,
        title: info.title,
      }));
      break;
    }
    case "session.deleted":
      changes.deleteSession(sessionID || asString((properties.info as Properties | undefined)?.id));
      break;
    case "session.status":
    case "session.idle":
    case "session.error":
      updateSession((entry) => {
        const next = sessionStatus(entry, event.payload.type, properties);
        // What it was doing ends with the turn.
        return next.status === "idle" || next.status === "error"
          ? { ...next, doing: undefined }
          : next;
      });
      break;
    case "message.updated":
      upsertMessage(changes, properties.info as Message);
      break;
    case "message.removed": {
      const list = watched.get(sessionID);
      const messageID = asString(properties.messageID);
      if (list) changes.write(list, changes.read(list).filter((entry) => entry.id !== messageID));
      break;
    }
    case "message.part.updated":
      upsertPart(changes, properties.part as Part);
      noteDoing(changes, properties.part as Part, event.directory);
      break;
    case "message.part.removed": {
      const message = findMessage(changes, sessionID, asString(properties.messageID));
      const partID = asString(properties.partID);
      if (message) {
        changes.write(
          message.parts,
          changes.read(message.parts).filter((part) => changes.read(part).id !== partID),
        );
      }
      break;
    }
    case "message.part.delta": {
      const message = findMessage(changes, sessionID, asString(properties.messageID));
      const partID = asString(properties.partID);
      const part = message &&
        changes.read(message.parts).find((candidate) => changes.read(candidate).id === partID);
      if (part) {
        const field = asString(properties.field);
        const value = changes.read(part);
        const current = (value as Properties)[field];
        changes.write(
          part,
          { ...value, [field]: asString(current) + asString(properties.delta) } as Part,
        );
      }
      break;
    }
    case "permission.asked": {
      const request = properties as EventProperties<"permission.asked">;
      updateSession((entry) => ({
        permissions: [...entry.permissions.filter((known) => known.id !== request.id), request],
      }));
      break;
    }
    case "permission.replied":
      updateSession((entry) => ({
        permissions: entry.permissions.filter((known) =>
          known.id !== asString(properties.requestID)
        ),
      }));
      break;
    case "question.asked": {
      const request = properties as EventProperties<"question.asked">;
      updateSession((entry) => ({
        questions: [...entry.questions.filter((known) => known.id !== request.id), request],
      }));
      break;
    }
    case "question.replied":
    case "question.rejected":
      updateSession((entry) => ({
        questions: entry.questions.filter((known) => known.id !== asString(properties.requestID)),
      }));
      break;
    case "todo.updated":
      updateSession(() => ({ todos: (properties.todos ?? []) as Todo[] }));
      break;
    case "session.diff":
      setSessionDiff(sessionID, properties.diff);
      break;
    case "vcs.branch.updated":
      changes.write(vcsBranches, {
        ...changes.read(vcsBranches),
        [event.directory]: asString(properties.branch),
      });
      break;
    case "server.instance.disposed":
      changes.resyncs.push(asString(properties.directory) || event.directory);
      break;
    case "palot.connection": {
      const connected = properties.connected === true;
      changes.write(server, { connected, status: connected ? "connected" : "reconnecting" });
      break;
    }
    case "palot.resync":
      changes.resyncs.push(undefined);
      break;
  }
}

function findMessage(
  changes: EventChanges,
  sessionID: string,
  messageID: string,
): MessageEntry | undefined {
  const list = watched.get(sessionID);
  return list && changes.read(list).find((entry) => entry.id === messageID);
}

function upsertMessage(changes: EventChanges, info: Message): void {
  const list = watched.get(info.sessionID);
  if (!list) return;
  const existing = changes.read(list).find((entry) => entry.id === info.id);
  if (existing) changes.write(existing.info, info);
  else changes.write(list, insertSorted(changes.read(list), toEntry(info, [])));
}

/**
 * What a session is doing now, from its latest part (for any session, on screen or not: the
 * sidebar and the home page say it too).
 */
function noteDoing(changes: EventChanges, part: Part, directory: string): void {
  if (part.type !== "tool" && part.type !== "text" && part.type !== "reasoning") return;
  const entry = changes.session(part.sessionID);
  if (!entry) return;
  const doing = doingNow([part], { directory });
  if (entry.doing !== doing) changes.updateSession(part.sessionID, directory, () => ({ doing }));
}

function upsertPart(changes: EventChanges, part: Part): void {
  const list = watched.get(part.sessionID);
  if (!list) return;
  let message = changes.read(list).find((entry) => entry.id === part.messageID);
  if (!message) {
    // The part came before its message: keep it under a placeholder that message.updated fills.
    const placeholder = {
      id: part.messageID,
      sessionID: part.sessionID,
      role: "assistant",
    } as Message;
    message = toEntry(placeholder, []);
    changes.write(list, insertSorted(changes.read(list), message));
  }
  const parts = changes.read(message.parts);
  const existing = parts.find((candidate) => changes.read(candidate).id === part.id);
  if (existing) changes.write(existing, part);
  else {
    const next = [...parts, signal(part)];
    next.sort((a, b) => compareIds(changes.read(a).id, changes.read(b).id));
    changes.write(message.parts, next);
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
