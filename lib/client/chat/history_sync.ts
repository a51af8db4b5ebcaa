/**
 * Reloading a chat's live messages after the event stream was interrupted (a resync): the latest
 * messages are read again with the page's window as `limit` and merged into what is on screen,
 * never swapped in wholesale. Text streamed after the server took its snapshot, and messages newer
 * than the snapshot, are kept; messages the server no longer has inside the window are dropped; of
 * two overlapping reloads, only the latest request's answer is applied.
 */

import { type Signal, signal } from "@preact/signals";
import type { Message, Part } from "@opencode-ai/sdk/v2/client";
import { messageEntries, type MessageEntry } from "../live/store.ts";

type Stored = { info: Message; parts: Part[] };

export interface HistorySyncOptions {
  /** Reads the latest `limit` messages of a session, oldest first. */
  load(sessionID: string, limit: number): Promise<Stored[]>;
  /** The smallest window asked for (the page's live window). */
  minimum: number;
  /** Messages before this id are rendered above the chat and stay out of it. */
  firstLiveId?: string;
}

/**
 * A reloader for one chat.
 *
 * @example
 * ```ts
 * const sync = historySync({ load: api.messages, minimum: 50, firstLiveId });
 * onResync(() => sync.reload(sessionId, list));
 * ```
 */
export function historySync(options: HistorySyncOptions) {
  let latest = 0;
  return {
    /** Reads the window again and merges it into `list`; a superseded answer is dropped. */
    async reload(sessionID: string, list: Signal<MessageEntry[]>): Promise<void> {
      const request = ++latest;
      const limit = Math.max(options.minimum, list.peek().length);
      const fetched = await options.load(sessionID, limit);
      if (request !== latest) return;
      const first = options.firstLiveId;
      const live = first ? fetched.filter((message) => message.info.id >= first) : fetched;
      list.value = mergeMessages(list.peek(), live, fetched.length >= limit);
    },
  };
}

/**
 * `current` updated from `fetched` (a snapshot of the latest messages, oldest first). When
 * `full` (the snapshot filled its window) and it shares no message with `current`, messages were
 * missed in between, and the snapshot replaces the list.
 */
export function mergeMessages(
  current: MessageEntry[],
  fetched: Stored[],
  full: boolean,
): MessageEntry[] {
  if (fetched.length === 0) return current;
  const firstId = fetched[0].info.id;
  const lastId = fetched[fetched.length - 1].info.id;
  const byId = new Map(current.map((entry) => [entry.id, entry]));
  const overlaps = fetched.some((message) => byId.has(message.info.id));
  const merged: MessageEntry[] = [];
  for (const entry of current) {
    // Older than the snapshot's window: kept; newer than the snapshot: arrived after it.
    if ((entry.id < firstId && (overlaps || !full)) || entry.id > lastId) merged.push(entry);
  }
  for (const message of fetched) {
    const entry = byId.get(message.info.id);
    if (entry) {
      mergeEntry(entry, message);
      merged.push(entry);
    } else merged.push(...messageEntries([message]));
  }
  merged.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return merged;
}

function mergeEntry(entry: MessageEntry, message: Stored): void {
  if (JSON.stringify(entry.info.peek()) !== JSON.stringify(message.info)) {
    entry.info.value = message.info;
  }
  const parts = entry.parts.peek();
  const byId = new Map(parts.map((part) => [part.peek().id, part]));
  const lastFetched = message.parts.at(-1)?.id ?? "";
  const next: Signal<Part>[] = [];
  for (const part of message.parts) {
    const known = byId.get(part.id);
    if (!known) next.push(signal(part));
    else {
      const shown = known.peek();
      if (!isAhead(shown, part) && JSON.stringify(shown) !== JSON.stringify(part)) {
        known.value = part;
      }
      next.push(known);
    }
  }
  // Parts created after the snapshot are kept; older ones it lacks were removed.
  for (const part of parts) if (part.peek().id > lastFetched) next.push(part);
  const same = next.length === parts.length && next.every((part, index) => part === parts[index]);
  if (!same) entry.parts.value = next;
}

const TOOL_PROGRESS: Record<string, number> = { pending: 0, running: 1, completed: 2, error: 2 };

/** Whether the part on screen has moved on since the snapshot's copy (streamed text, a tool's end). */
function isAhead(local: Part, fetched: Part): boolean {
  const localText = (local as { text?: unknown }).text;
  const fetchedText = (fetched as { text?: unknown }).text;
  if (typeof localText === "string" && typeof fetchedText === "string") {
    return localText.length > fetchedText.length && localText.startsWith(fetchedText);
  }
  if (local.type === "tool" && fetched.type === "tool") {
    return (TOOL_PROGRESS[local.state.status] ?? 0) > (TOOL_PROGRESS[fetched.state.status] ?? 0);
  }
  return false;
}
