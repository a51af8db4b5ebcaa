/**
 * Opening OpenCode's `opencode.db` for the search index, read-only: it counts as there once both
 * tables the index reads exist (OpenCode creates the file first and its tables a moment later), and
 * a data folder with only the JSON `storage/` of OpenCode before 1.2 has none to read.
 */

import { DatabaseSync } from "node:sqlite";
import { join } from "node:path";
import { exists } from "../exists.ts";

/**
 * One attempt at opening `dataDir`'s `opencode.db`: the database, `"legacy"` for a data folder of
 * OpenCode before 1.2, or `undefined` when it is not there yet (try again later).
 *
 * @example
 * ```ts
 * const source = openSourceDatabase("/home/me/.local/share/opencode");
 * if (source instanceof DatabaseSync) source.prepare("SELECT 1").get();
 * ```
 */
export function openSourceDatabase(dataDir: string): DatabaseSync | "legacy" | undefined {
  const path = join(dataDir, "opencode.db");
  if (exists(path)) {
    const source = new DatabaseSync(path, { readOnly: true });
    source.exec("PRAGMA busy_timeout = 250");
    const tables = source.prepare(
      "SELECT COUNT(*) AS count FROM sqlite_master WHERE type = 'table' AND name IN ('part', 'session')",
    ).get() as { count: number };
    if (Number(tables.count) === 2) return source;
    source.close();
  }
  return exists(join(dataDir, "storage")) ? "legacy" : undefined;
}
