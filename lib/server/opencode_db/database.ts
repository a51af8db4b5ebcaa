/**
 * The one way Palot opens OpenCode's `opencode.db` (SQLite in WAL mode, written at the same time
 * by a running opencode): read-only, waiting briefly for a writer's lock; and the rows it returns,
 * with the coercions every reader needs. Discovery (`discovery_queries.ts`) and the search index
 * (`search_queries.ts`) read it through this module. For the search index, the file counts as
 * there once both tables it reads exist (OpenCode creates the file first and its tables a moment
 * later), and a data folder with only the JSON `storage/` of OpenCode before 1.2 has none to read.
 */

import { DatabaseSync, type SQLInputValue } from "node:sqlite";
import { join } from "node:path";
import { exists } from "../exists.ts";

/** A row of `opencode.db` as `node:sqlite` returns it. */
export type Row = Record<string, SQLInputValue>;

// SQLite hands back numbers, bigints, strings or null for a column: these coerce (unlike
// lib/common/values.ts, which rejects what is not already the right type).
export const num = (
  value: SQLInputValue,
): number => (typeof value === "number" ? value : Number(value ?? 0));
export const str = (
  value: SQLInputValue,
): string => (value === null || value === undefined ? "" : String(value));

/** Where a data folder keeps its database. */
export function opencodeDbPath(dataDir: string): string {
  return join(dataDir, "opencode.db");
}

/**
 * Opens `path` read-only; a busy database is waited on for up to 250 ms by SQLite's busy handler
 * instead of failing at once with `SQLITE_BUSY`.
 *
 * @example
 * ```ts
 * const db = openOpencodeDb(opencodeDbPath("/home/me/.local/share/opencode"));
 * ```
 */
export function openOpencodeDb(path: string): DatabaseSync {
  const db = new DatabaseSync(path, { readOnly: true });
  db.exec("PRAGMA busy_timeout = 250");
  return db;
}

/**
 * One attempt at opening `dataDir`'s `opencode.db` for the search index: the database, `"legacy"`
 * for a data folder of OpenCode before 1.2, or `undefined` when it is not there yet (try again
 * later).
 *
 * @example
 * ```ts
 * const source = openSourceDatabase("/home/me/.local/share/opencode");
 * if (source instanceof DatabaseSync) source.prepare("SELECT 1").get();
 * ```
 */
export function openSourceDatabase(dataDir: string): DatabaseSync | "legacy" | undefined {
  const path = opencodeDbPath(dataDir);
  if (exists(path)) {
    const source = openOpencodeDb(path);
    const tables = source.prepare(
      "SELECT COUNT(*) AS count FROM sqlite_master WHERE type = 'table' AND name IN ('part', 'session')",
    ).get() as { count: number };
    if (Number(tables.count) === 2) return source;
    source.close();
  }
  return exists(join(dataDir, "storage")) ? "legacy" : undefined;
}
