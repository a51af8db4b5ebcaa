/**
 * Palot's own full-text index: a SQLite file in Palot's state folder (never OpenCode's storage)
 * with one FTS5 row per indexed text (a session's title, a message's text, a tool's output) and
 * a plain table saying which session, message and kind each row belongs to. It owns the schema,
 * upserts and deletes by key, the ranked query (one best hit per session, titles above text above
 * tool output, then newest), and recovery: a file that is corrupt or from another schema is
 * deleted and created again empty, for the indexer to fill.
 */

import { DatabaseSync, type SQLInputValue, type StatementSync } from "node:sqlite";
import { dirname } from "node:path";
import { MATCH_END, MATCH_START } from "./query.ts";

/** Bump when the schema or what is indexed changes: an older file is rebuilt. */
const SCHEMA_VERSION = "1";

/** What a row of the index holds. */
export type IndexKind = "title" | "text" | "tool";

/** One text to index, replacing whatever was indexed under its key. */
export interface IndexDoc {
  /** `title:<sessionID>` or `part:<partID>`. */
  key: string;
  sessionID: string;
  messageID?: string;
  kind: IndexKind;
  /** Epoch milliseconds, for "newest first" among equal matches. */
  time: number;
  /** The text; empty removes the key. */
  text: string;
}

/** The best match of one session. */
export interface SearchHit {
  sessionID: string;
  messageID: string | null;
  kind: IndexKind;
  time: number;
  /** Text around the match, with matches between `MATCH_START` and `MATCH_END`. */
  snippet: string;
}

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
  CREATE TABLE IF NOT EXISTS entry (
    id INTEGER PRIMARY KEY,
    key TEXT NOT NULL UNIQUE,
    session_id TEXT NOT NULL,
    message_id TEXT,
    kind TEXT NOT NULL,
    time INTEGER NOT NULL
  );
  CREATE INDEX IF NOT EXISTS entry_session ON entry (session_id);
  CREATE INDEX IF NOT EXISTS entry_message ON entry (message_id);
  CREATE VIRTUAL TABLE IF NOT EXISTS body USING fts5(text, tokenize = 'unicode61 remove_diacritics 2');
  CREATE VIRTUAL TABLE IF NOT EXISTS vocab USING fts5vocab(body, 'row');
`;

/**
 * Matching texts ranked per query, at most: the latest indexed this many (FTS5 walks a match list
 * newest first and stops), plus enough for the page asked for. A word in half a million texts
 * is then answered in milliseconds instead of seconds, ranking the newest of them.
 */
export const CANDIDATES = 2_000;

// Titles above text above tool output, then the newest; each session keeps its best hit. Not
// bm25: its weights need each word's count of texts, which FTS5 works out by reading the word's
// whole match list on every query (20 ms at 500,000 texts for a common word, half of the budget),
// while the candidates are the latest matching texts anyway.
const SEARCH_SQL = `
  WITH matches AS (
    SELECT rowid AS id FROM body WHERE body MATCH ? ORDER BY rowid DESC LIMIT ?
  ), hits AS (
    SELECT e.id, e.session_id, e.message_id, e.kind, e.time,
      CASE e.kind WHEN 'title' THEN 0 WHEN 'text' THEN 1 ELSE 2 END AS weight
    FROM matches m JOIN entry e ON e.id = m.id
  ), best AS (
    SELECT *, ROW_NUMBER() OVER (PARTITION BY session_id ORDER BY weight, time DESC) AS position
    FROM hits
  )
  SELECT id, session_id, message_id, kind, time FROM best WHERE position = 1
  ORDER BY weight, time DESC LIMIT ? OFFSET ?`;

const TITLE_SQL = `SELECT e.session_id FROM body JOIN entry e ON e.id = body.rowid
  WHERE body MATCH ? AND e.kind = 'title' ORDER BY body.rowid DESC LIMIT ?`;

const COUNT_SQL = `SELECT COUNT(*) AS count FROM (
  SELECT DISTINCT e.session_id FROM body JOIN entry e ON e.id = body.rowid
  WHERE body MATCH ? LIMIT ?)`;

// The rowid is cast: FTS5 ignores \`rowid = ?\` beside MATCH when the number is bound as a double
// (SQLite 3.53), which is how node:sqlite binds a JavaScript number.
const SNIPPET_SQL = `SELECT snippet(body, 0, '${MATCH_START}', '${MATCH_END}', '…', 20) AS snippet
  FROM body WHERE body MATCH ? AND rowid = CAST(? AS INTEGER)`;

type Row = Record<string, SQLInputValue>;

/** Whether an error says the file is not a usable SQLite database. */
export function isCorruptionError(error: unknown): boolean {
  return /SQLITE_CORRUPT|SQLITE_NOTADB|malformed|not a database|file is not a database/i.test(
    String((error as Error)?.message ?? error),
  );
}

/**
 * The index file.
 *
 * @example
 * ```ts
 * const index = SearchIndex.open("/home/me/.local/state/palot/search.db");
 * index.upsert([{ key: "title:ses_1", sessionID: "ses_1", kind: "title", time: 0, text: "Fix login" }]);
 * index.search('"login"*', { limit: 20 }).hits;
 * ```
 */
export class SearchIndex {
  readonly path: string;
  #db: DatabaseSync;
  #statements = new Map<string, StatementSync>();

  private constructor(path: string, db: DatabaseSync) {
    this.path = path;
    this.#db = db;
  }

  /**
   * Opens (or creates) the index at `path`. A file that is corrupt or from another schema version
   * is removed and created again; `rebuilt` then says so.
   */
  static open(path: string): { index: SearchIndex; rebuilt: boolean } {
    Deno.mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    try {
      const index = new SearchIndex(path, SearchIndex.#connect(path));
      const schema = index.getMeta("schema");
      if (schema === SCHEMA_VERSION) return { index, rebuilt: false };
      if (schema === undefined && index.#count() === 0) {
        index.setMeta("schema", SCHEMA_VERSION);
        return { index, rebuilt: false };
      }
      index.close();
    } catch (error) {
      if (!isCorruptionError(error)) throw error;
    }
    SearchIndex.remove(path);
    const index = new SearchIndex(path, SearchIndex.#connect(path));
    index.setMeta("schema", SCHEMA_VERSION);
    return { index, rebuilt: true };
  }

  /** Deletes the index file and its journal. */
  static remove(path: string): void {
    for (const file of [path, `${path}-wal`, `${path}-shm`, `${path}-journal`]) {
      try {
        Deno.removeSync(file);
      } catch (error) {
        if (!(error instanceof Deno.errors.NotFound)) throw error;
      }
    }
  }

  static #connect(path: string): DatabaseSync {
    const db = new DatabaseSync(path);
    try {
      db.exec("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 1000");
      db.exec(SCHEMA);
      // Reading a page of every table finds most corruption now rather than at the first query.
      db.prepare("SELECT COUNT(*) FROM (SELECT rowid FROM body LIMIT 1)").get();
      return db;
    } catch (error) {
      db.close();
      throw error;
    }
  }

  getMeta(key: string): string | undefined {
    const row = this.#get("SELECT value FROM meta WHERE key = ?", key);
    return row ? String(row.value) : undefined;
  }

  setMeta(key: string, value: string | number): void {
    this.#run(
      "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
      key,
      String(value),
    );
  }

  /** Writes `docs` (and `meta`, when given) in one transaction. */
  upsert(docs: IndexDoc[], meta: Record<string, string | number> = {}): void {
    this.#transaction(() => {
      for (const doc of docs) {
        this.#removeKey(doc.key);
        if (!doc.text.trim()) continue;
        const row = this.#get(
          `INSERT INTO entry (key, session_id, message_id, kind, time) VALUES (?, ?, ?, ?, ?)
           RETURNING id`,
          doc.key,
          doc.sessionID,
          doc.messageID ?? null,
          doc.kind,
          doc.time,
        )!;
        this.#run("INSERT INTO body (rowid, text) VALUES (?, ?)", row.id, doc.text);
      }
      for (const [key, value] of Object.entries(meta)) this.setMeta(key, value);
    });
  }

  /** Removes the parts of `messageID` whose keys are not in `keep`. */
  pruneMessage(messageID: string, keep: Set<string>): void {
    const keys = this.#all("SELECT key FROM entry WHERE message_id = ?", messageID)
      .map((row) => String(row.key)).filter((key) => !keep.has(key));
    if (keys.length) this.#transaction(() => keys.forEach((key) => this.#removeKey(key)));
  }

  /** Removes everything indexed for a session. */
  removeSession(sessionID: string): void {
    this.#transaction(() => {
      this.#run(
        "DELETE FROM body WHERE rowid IN (SELECT id FROM entry WHERE session_id = ?)",
        sessionID,
      );
      this.#run("DELETE FROM entry WHERE session_id = ?", sessionID);
    });
  }

  /**
   * The best hit of each matching session, best and newest first, for an FTS5 query made by
   * `toFtsQuery`, among the latest {@linkcode CANDIDATES} matching texts (more for later pages).
   * `hasMore` says whether another page follows.
   */
  search(ftsQuery: string, options: { limit: number; offset?: number }) {
    const offset = options.offset ?? 0;
    const candidates = Math.max(CANDIDATES, (offset + options.limit + 1) * 20);
    const rows = this.#all(SEARCH_SQL, ftsQuery, candidates, options.limit + 1, offset);
    const hits: SearchHit[] = rows.slice(0, options.limit).map((row) => ({
      sessionID: String(row.session_id),
      messageID: row.message_id === null ? null : String(row.message_id),
      kind: String(row.kind) as IndexKind,
      time: Number(row.time),
      snippet: String(this.#get(SNIPPET_SQL, ftsQuery, row.id)?.snippet ?? ""),
    }));
    return { hits, hasMore: rows.length > options.limit };
  }

  /**
   * Sessions whose title matches `ftsQuery`, the latest indexed first, at most `limit`: FTS5
   * walks its matches in rowid order and stops at the limit, so this is bounded however many
   * titles match.
   */
  titleSessions(ftsQuery: string, limit: number): string[] {
    return this.#all(TITLE_SQL, ftsQuery, limit).map((row) => String(row.session_id));
  }

  /** Whole words of the index that start with `prefix` (as stored), in order, at most `limit`. */
  completions(prefix: string, limit: number): string[] {
    return this.#all(
      "SELECT term FROM vocab WHERE term >= ? AND term < ? LIMIT ?",
      prefix,
      `${prefix}\u{10FFFF}`,
      limit,
    ).map((row) => String(row.term));
  }

  /**
   * How many sessions match `ftsQuery`, counted up to `cap` (then `cap` and `capped`), so the
   * count stays bounded however many texts match.
   */
  count(ftsQuery: string, cap: number): { total: number; capped: boolean } {
    const total = Number(this.#get(COUNT_SQL, ftsQuery, cap + 1)?.count ?? 0);
    return { total: Math.min(total, cap), capped: total > cap };
  }

  /** Rows indexed, and the file's size in bytes (with its write-ahead log). */
  stats(): { entries: number; bytes: number } {
    let bytes = 0;
    for (const file of [this.path, `${this.path}-wal`]) {
      try {
        bytes += Deno.statSync(file).size;
      } catch {
        // No log yet.
      }
    }
    return { entries: this.#count(), bytes };
  }

  close(): void {
    this.#statements.clear();
    this.#db.close();
  }

  #count(): number {
    return Number(this.#get("SELECT COUNT(*) AS count FROM entry")?.count ?? 0);
  }

  #removeKey(key: string): void {
    const row = this.#get("SELECT id FROM entry WHERE key = ?", key);
    if (!row) return;
    this.#run("DELETE FROM body WHERE rowid = CAST(? AS INTEGER)", row.id);
    this.#run("DELETE FROM entry WHERE id = ?", row.id);
  }

  #transaction(work: () => void): void {
    this.#db.exec("BEGIN IMMEDIATE");
    try {
      work();
      this.#db.exec("COMMIT");
    } catch (error) {
      this.#db.exec("ROLLBACK");
      throw error;
    }
  }

  #statement(sql: string): StatementSync {
    let statement = this.#statements.get(sql);
    if (!statement) {
      statement = this.#db.prepare(sql);
      this.#statements.set(sql, statement);
    }
    return statement;
  }

  #all(sql: string, ...params: SQLInputValue[]): Row[] {
    return this.#statement(sql).all(...params) as Row[];
  }

  #get(sql: string, ...params: SQLInputValue[]): Row | undefined {
    return this.#statement(sql).get(...params) as Row | undefined;
  }

  #run(sql: string, ...params: SQLInputValue[]): void {
    this.#statement(sql).run(...params);
  }
}
