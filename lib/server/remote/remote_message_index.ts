/**
 * Another machine's messages in a full-text index of Palot's own (one file per server in Palot's
 * state folder, the same {@linkcode SearchIndex} as this machine's), filled through that server's
 * API: every session it has is read (`GET /session/:id/message`, two at a time, newest first,
 * paced) and read again when its `updated` time moves on (its events keep the catalog's current).
 * What was read stays across restarts, so a restart reads only what changed, and a search answers
 * from the file at once; until every session is read, the search page says how far it is.
 *
 * @example
 * ```ts
 * const index = new RemoteMessageIndex(server, "/state/remote-search/desk.db");
 * index.start();
 * index.search("flaky test", 20); // [{sessionID, messageID, kind, snippet, …}]
 * ```
 */

import type { Part } from "@opencode-ai/sdk/v2/client";
import type { MessageWithParts } from "../../common/message.ts";
import { type IndexDoc, type SearchHit, SearchIndex } from "../search/search_index.ts";
import { toFtsQuery } from "../search/query.ts";
import type { RemoteServer } from "./remote_server.ts";

/** Sessions read at once. */
const AT_ONCE = 2;
/** Longest wait for one session's messages. */
const READ_TIMEOUT_MS = 15_000;
/** How often the catalog is looked at again for sessions that changed, when nothing wakes it. */
const IDLE_MS = 10_000;
/** Pause after a session could not be read, before trying the next round. */
const RETRY_MS = 5_000;
/** Least time between two rounds (a turn changes its session many times). */
const ROUND_MS = 2_000;
/** Pause after each session read: a first read of a big server leaves it, and Palot, room. */
const PACE_MS = 25;

/** How far the reading is: sessions read as they are now, of all the server's sessions. */
export interface RemoteIndexProgress {
  read: number;
  total: number;
}

export class RemoteMessageIndex {
  #server: RemoteServer;
  #index: SearchIndex;
  /**
   * Each session's `updated` time when it was read (kept in the index file's meta), `null` for one
   * looked up and never read.
   */
  #read = new Map<string, number | null>();
  #running: Promise<void> | undefined;
  #stop = new AbortController();
  /** A session changed since the round began: the next round starts without waiting long. */
  #changed = false;
  #wake: (() => void) | undefined;

  constructor(server: RemoteServer, path: string) {
    this.#server = server;
    this.#index = SearchIndex.open(path).index;
  }

  /** Starts reading, and keeps the index current until {@linkcode stop}. */
  start(): void {
    this.#running ??= this.#loop();
  }

  /** Looks for changed sessions now (a session of the server changed). */
  changed(): void {
    this.#changed = true;
    this.#wake?.();
  }

  async stop(): Promise<void> {
    this.#stop.abort();
    await this.#running;
    this.#index.close();
  }

  /** Stops and deletes the index file (the server was removed). */
  async remove(): Promise<void> {
    await this.stop();
    SearchIndex.remove(this.#index.path);
  }

  /** Drops what was read of a session the server deleted. */
  forget(sessionId: string): void {
    this.#index.removeSession(sessionId);
  }

  /** The best hit of each matching session (newest first among equals), at most `limit`. */
  search(text: string, limit: number): SearchHit[] {
    const query = toFtsQuery(text);
    if (!query) return [];
    return this.#index.search(query, { limit }).hits;
  }

  progress(): RemoteIndexProgress {
    const sessions = this.#sessions();
    return {
      read: sessions.filter((session) => this.#readAt(session.id) === session.updated).length,
      total: sessions.length,
    };
  }

  async #loop(): Promise<void> {
    while (!this.#stopped) {
      this.#changed = false;
      const round = Date.now();
      const todo = this.#server.status.state === "online" && this.#server.catalog.loaded
        ? this.#sessions().filter((session) => this.#readAt(session.id) !== session.updated)
          .sort((a, b) => b.updated - a.updated)
        : [];
      let failed = false;
      const worker = async () => {
        for (let session = todo.shift(); session && !this.#stopped; session = todo.shift()) {
          try {
            await this.#readSession(session.id, session.directory, session.updated);
          } catch {
            failed = true;
            return; // Not answering: the next round tries again.
          }
          await this.#sleep(PACE_MS);
        }
      };
      await Promise.all(Array.from({ length: AT_ONCE }, worker));
      if (this.#stopped) return;
      await this.#sleep(failed ? RETRY_MS : this.#changed ? 0 : IDLE_MS, { wakes: true });
      await this.#sleep(ROUND_MS - (Date.now() - round));
    }
  }

  /** Waits `ms`, less when stopped, or (`wakes`) when a session changes. */
  #sleep(ms: number, { wakes = false } = {}): Promise<void> {
    if (ms <= 0 || this.#stopped) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.#stop.signal.removeEventListener("abort", done);
        if (this.#wake === done) this.#wake = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.#stop.signal.addEventListener("abort", done);
      if (wakes) this.#wake = done;
    });
  }

  get #stopped(): boolean {
    return this.#stop.signal.aborted;
  }

  async #readSession(id: string, directory: string, updated: number): Promise<void> {
    const query = new URLSearchParams({ directory });
    const { body } = await this.#server.api<MessageWithParts[]>(
      `/session/${encodeURIComponent(id)}/message?${query}`,
      { timeoutMs: READ_TIMEOUT_MS, signal: this.#stop.signal },
    );
    if (this.#stopped) return;
    this.#index.removeSession(id);
    this.#index.upsert(messageDocs(id, body), { [`read:${id}`]: updated });
    this.#read.set(id, updated);
  }

  #readAt(id: string): number | null {
    let read = this.#read.get(id);
    if (read === undefined) {
      const kept = this.#index.getMeta(`read:${id}`);
      read = kept === undefined ? null : Number(kept);
      this.#read.set(id, read);
    }
    return read;
  }

  /** Every session of the server, sub-agents' too. */
  #sessions() {
    return this.#server.catalog.sessionStamps();
  }
}

/** The searchable texts of a session's messages: text (not synthetic), a tool's input and output. */
export function messageDocs(sessionID: string, messages: MessageWithParts[]): IndexDoc[] {
  const docs: IndexDoc[] = [];
  for (const { info, parts } of messages) {
    for (const part of parts) {
      const text = textOf(part);
      if (!text) continue;
      docs.push({
        key: `part:${part.id}`,
        sessionID,
        messageID: info.id,
        kind: part.type === "tool" ? "tool" : "text",
        time: info.time.created,
        text,
      });
    }
  }
  return docs;
}

function textOf(part: Part): string | undefined {
  if (part.type === "text" && !part.synthetic) return part.text;
  if (part.type === "tool") {
    const state = part.state as { input?: unknown; output?: unknown; error?: unknown };
    return [
      part.tool,
      JSON.stringify(state.input ?? ""),
      typeof state.output === "string" ? state.output : "",
      typeof state.error === "string" ? state.error : "",
    ].join("\n");
  }
  return undefined;
}
