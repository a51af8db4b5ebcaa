/**
 * Keeps Palot's search index filled from OpenCode's `opencode.db`, read-only: a first build in
 * the background (small batches in rowid order, so a large history never blocks a page and a
 * restart carries on where it stopped), a catch-up of what changed while Palot was not running,
 * and, from then on, the live events: a message or session they mention is read again from
 * `opencode.db` a moment later. It also answers queries, and rebuilds an index file that was
 * deleted or found corrupt.
 */

import type { DatabaseSync, SQLInputValue } from "node:sqlite";
import { exists } from "../exists.ts";
import type { HubEvent } from "../../common/hub_event.ts";
import { type IndexDoc, isCorruptionError, type SearchHit, SearchIndex } from "./search_index.ts";
import { completedFtsQuery, lastWord, MAX_COMPLETIONS, toFtsQuery } from "./query.ts";
import { partDocs, sessionDocs, SOURCE_SQL } from "../opencode_db/search_queries.ts";
import { openSourceDatabase, type Row } from "../opencode_db/database.ts";
import { type NamedChanges, RereadSchedule } from "./reread_schedule.ts";

/** Where the first build stands. */
export interface IndexProgress {
  state: "waiting" | "building" | "ready" | "unavailable";
  /** Parts read from `opencode.db` so far, and how many there were when the build started. */
  done: number;
  total: number;
  /** Why search is unavailable, for the page. */
  reason?: string;
}

export interface SearchResults {
  hits: SearchHit[];
  hasMore: boolean;
  /** Sessions matching, counted up to {@linkcode COUNT_CAP} (`capped`: there are more). */
  total: number;
  capped: boolean;
  progress: IndexProgress;
}

/** Matching sessions are counted up to this many (a bounded count; the page says "more than"). */
export const COUNT_CAP = 1_000;

export interface IndexerOptions {
  /** OpenCode's data dir (holding `opencode.db`). */
  dataDir: string;
  /** The index file, in Palot's state folder. */
  indexPath: string;
  /** Parts, and session titles, read per batch of the first build (default 200): each batch is
   * one write, short enough not to hold up a page. */
  batchSize?: number;
  /** How long after an event its message is read again (default 300 ms). */
  settleMs?: number;
  log?: (line: string) => void;
}

/** How often parts added since the last read are looked for, once the index is built. */
const TAIL_MS = 5_000;
/** When a build that failed is tried again. */
const RETRY_MS = 60_000;

/**
 * The indexer.
 *
 * @example
 * ```ts
 * const indexer = new SearchIndexer({ dataDir, indexPath: join(stateDir, "search.db") });
 * indexer.start();
 * hub.subscribe(({ event }) => indexer.onEvent(event));
 * indexer.search("login bug", { limit: 20 });
 * ```
 */
export class SearchIndexer {
  #options: Required<Omit<IndexerOptions, "log">> & Pick<IndexerOptions, "log">;
  #index: SearchIndex | undefined;
  #source: DatabaseSync | undefined;
  #progress: IndexProgress = { state: "waiting", done: 0, total: 0 };
  #running: Promise<void> | undefined;
  #stopped = false;
  #rereads: RereadSchedule;
  #tailTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(options: IndexerOptions) {
    this.#options = { batchSize: 200, settleMs: 300, ...options };
    this.#rereads = new RereadSchedule({
      settleMs: this.#options.settleMs,
      ready: () => Boolean(this.#index && this.#source),
      read: (changes) => this.#reindex(changes),
    });
  }

  /** Where the first build stands. */
  get progress(): IndexProgress {
    return { ...this.#progress };
  }

  /** Starts (or restarts) the background build; returns at once. */
  start(): void {
    this.#stopped = false;
    this.#running ??= this.#build().finally(() => (this.#running = undefined));
  }

  /** Resolves when the current background build has finished (for tests and benchmarks). */
  async idle(): Promise<void> {
    while (this.#running) await this.#running;
  }

  /** Stops the build and closes both databases. */
  async stop(): Promise<void> {
    this.#stopped = true;
    this.#rereads.clear();
    clearTimeout(this.#tailTimer);
    await this.#running;
    this.#index?.close();
    this.#source?.close();
    this.#index = this.#source = undefined;
  }

  /** Notes what an OpenCode event changed, to be read again from `opencode.db` shortly. */
  onEvent(event: HubEvent): void {
    this.#rereads.note(event);
  }

  /**
   * The sessions matching `text`, best and newest first; empty when `text` has no word. Works
   * on what is indexed so far (`progress` says how far that is).
   */
  search(text: string, options: { limit: number; offset?: number }): SearchResults {
    const exact = toFtsQuery(text, { prefix: false });
    const index = this.#currentIndex();
    const none = { hits: [], hasMore: false, total: 0, capped: false };
    if (!exact || !index) return { ...none, progress: this.progress };
    try {
      // FTS5 reads the whole match list of a prefix: for a word in half a million texts that
      // takes a second. When the whole words alone match more sessions than are counted, the
      // prefix would add nothing a user could page to: the query is run without it.
      // Otherwise the last word stands for its completions, at most MAX_COMPLETIONS of them.
      const count = index.count(exact, COUNT_CAP);
      const query = count.capped ? exact : this.#completed(index, text);
      if (!query) return { ...none, progress: this.progress };
      return {
        ...index.search(query, options),
        ...(count.capped ? count : index.count(query, COUNT_CAP)),
        progress: this.progress,
      };
    } catch (error) {
      if (!isCorruptionError(error)) throw error;
      this.#log(`The search index is corrupt; rebuilding it: ${(error as Error).message}`);
      this.#reset();
      return { ...none, progress: this.progress };
    }
  }

  /**
   * Sessions whose title has the words of `text` (the last as a prefix), the latest first, at
   * most `limit`: a bounded answer for the palette. Empty before anything is indexed.
   */
  sessionsByTitle(text: string, limit: number): string[] {
    const exact = toFtsQuery(text, { prefix: false });
    const index = this.#currentIndex();
    if (!exact || !index) return [];
    try {
      // Whole words first: a prefix makes FTS5 read its whole match list (see `search`).
      const whole = index.titleSessions(exact, limit);
      if (whole.length >= limit) return whole;
      const completed = this.#completed(index, text);
      return completed ? index.titleSessions(completed, limit) : [];
    } catch (error) {
      if (!isCorruptionError(error)) throw error;
      this.#reset();
      return [];
    }
  }

  /** `text` as an FTS5 query whose last word stands for its completions in the index. */
  #completed(index: SearchIndex, text: string): string | undefined {
    const last = lastWord(text);
    return last === undefined
      ? undefined
      : completedFtsQuery(text, index.completions(last, MAX_COMPLETIONS));
  }

  /** Forgets a session the page found gone from `opencode.db`. */
  forget(sessionID: string): void {
    this.#currentIndex()?.removeSession(sessionID);
  }

  /** Rows and bytes of the index file. */
  stats(): { entries: number; bytes: number } {
    return this.#currentIndex()?.stats() ?? { entries: 0, bytes: 0 };
  }

  /** The open index, reopened (and rebuilt) when its file was deleted underneath. */
  #currentIndex(): SearchIndex | undefined {
    if (this.#index && !exists(this.#index.path)) {
      this.#log("The search index file is gone; rebuilding it");
      this.#reset();
    }
    return this.#index;
  }

  #reset(): void {
    try {
      this.#index?.close();
    } catch {
      // Closing a broken file may fail too.
    }
    this.#index = undefined;
    SearchIndex.remove(this.#options.indexPath);
    this.#progress = { state: "waiting", done: 0, total: 0 };
    this.start();
  }

  async #build(): Promise<void> {
    try {
      const source = await this.#openSource();
      if (!source || this.#stopped) return;
      if (!this.#index) {
        const { index, rebuilt } = SearchIndex.open(this.#options.indexPath);
        if (rebuilt) this.#log("The search index was unreadable or outdated; building it again");
        this.#index = index;
      }
      const index = this.#index;
      const cursor = Number(index.getMeta("partCursor") ?? 0);
      const since = Number(index.getMeta("syncedAt") ?? 0);
      // A first build interrupted by a restart keeps its first start time: what changed behind
      // its cursors meanwhile is read by the catch-up of the start after it completes.
      const now = Date.now();
      const startedAt = since === 0 ? Number(index.getMeta("buildStartedAt") ?? now) : now;
      if (since === 0) index.setMeta("buildStartedAt", startedAt);
      const total = Number(this.#sourceRow(SOURCE_SQL.maxPart)?.max ?? 0);
      this.#progress = { state: "building", done: Math.min(cursor, total), total };
      // What changed while Palot was not running: titles, and parts it had already read.
      await this.#readTitles(since);
      if (this.#stopped) return;
      if (since > 0) {
        this.#write(partDocs(this.#sourceAll(SOURCE_SQL.partsChanged, cursor, since)));
      }
      await this.#readNewParts(total);
      if (this.#stopped) return;
      index.setMeta("syncedAt", startedAt);
      this.#progress = { state: "ready", done: total, total };
      this.#log(
        `Search index ready: ${index.stats().entries} texts in ${Date.now() - now} ms`,
      );
      this.#scheduleTail();
    } catch (error) {
      this.#progress = {
        ...this.#progress,
        state: "unavailable",
        reason: (error as Error).message,
      };
      this.#log(
        `Cannot build the search index (trying again in a minute): ${(error as Error).message}`,
      );
      this.#tailTimer = setTimeout(() => this.start(), RETRY_MS);
    }
  }

  /**
   * Reads the titles of the sessions changed since `since`, a batch at a time (yielding between
   * batches, so memory stays bounded however many sessions there are). During a first build
   * (`since` 0) the cursor is kept in the index, so a restart carries on from it.
   */
  async #readTitles(since: number): Promise<void> {
    const first = since === 0;
    let cursor = first ? Number(this.#index?.getMeta("titleCursor") ?? 0) : 0;
    while (!this.#stopped && this.#index) {
      const rows = this.#sourceAll(
        SOURCE_SQL.sessionsChanged,
        since,
        cursor,
        this.#options.batchSize,
      );
      if (rows.length === 0) break;
      cursor = Number(rows[rows.length - 1].row);
      this.#write(sessionDocs(rows), first ? { titleCursor: cursor } : undefined);
      await new Promise((resolve) => setTimeout(resolve, 0));
    }
  }

  /**
   * Reads the parts added since the cursor, in batches, yielding between them; `total` (the
   * largest rowid when the build started) is for the progress of a first build.
   */
  async #readNewParts(total?: number): Promise<void> {
    if (!this.#index) return;
    let cursor = Number(this.#index.getMeta("partCursor") ?? 0);
    while (!this.#stopped && this.#index) {
      const rows = this.#sourceAll(SOURCE_SQL.partsAfter, cursor, this.#options.batchSize);
      if (rows.length === 0) break;
      cursor = Number(rows[rows.length - 1].row);
      this.#write(partDocs(rows), { partCursor: cursor });
      if (total !== undefined) {
        this.#progress = { state: "building", done: Math.min(cursor, total), total };
      }
      await new Promise((resolve) => setTimeout(resolve, 0));
    }
  }

  /**
   * Every few seconds, reads what was added since: a safety net under the events (one whose
   * text was not yet committed when it was read, or one lost in a reconnect).
   */
  #scheduleTail(): void {
    if (this.#stopped) return;
    clearTimeout(this.#tailTimer);
    this.#tailTimer = setTimeout(async () => {
      try {
        await this.#readNewParts();
      } catch (error) {
        if (isCorruptionError(error)) return this.#reset();
        this.#log(`Cannot update the search index: ${(error as Error).message}`);
      }
      this.#scheduleTail();
    }, TAIL_MS);
  }

  /** Waits for `opencode.db` (OpenCode creates it on its first start). */
  async #openSource(): Promise<DatabaseSync | undefined> {
    while (!this.#source && !this.#stopped) {
      const source = openSourceDatabase(this.#options.dataDir);
      if (source === "legacy") {
        this.#progress = {
          state: "unavailable",
          done: 0,
          total: 0,
          reason: "Search needs OpenCode 1.2 or later (its opencode.db)",
        };
        return undefined;
      }
      if (source) this.#source = source;
      else await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
    return this.#source;
  }

  /** Reads again from `opencode.db` what events named (see {@linkcode RereadSchedule}). */
  #reindex({ messages, sessions, removedSessions }: NamedChanges): void {
    if (!this.#index || !this.#source) return;
    try {
      for (const sessionID of removedSessions) this.#index.removeSession(sessionID);
      const docs = sessionDocs(
        sessions.flatMap((id) => this.#sourceAll(SOURCE_SQL.session, id)),
      );
      for (const messageID of messages) {
        const parts = partDocs(this.#sourceAll(SOURCE_SQL.partsOfMessage, messageID));
        docs.push(...parts);
        this.#index.pruneMessage(messageID, new Set(parts.map((doc) => doc.key)));
      }
      this.#write(docs);
    } catch (error) {
      if (isCorruptionError(error)) this.#reset();
      else this.#log(`Cannot update the search index: ${(error as Error).message}`);
    }
  }

  #write(docs: IndexDoc[], meta?: Record<string, number>): void {
    this.#index?.upsert(docs, meta);
  }

  #sourceAll(sql: string, ...params: SQLInputValue[]): Row[] {
    return this.#source!.prepare(sql).all(...params) as Row[];
  }

  #sourceRow(sql: string): Row | undefined {
    return this.#source!.prepare(sql).get() as Row | undefined;
  }

  #log(line: string): void {
    this.#options.log?.(line);
  }
}
