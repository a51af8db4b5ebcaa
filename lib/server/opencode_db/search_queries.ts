/**
 * What the search index reads from OpenCode's `opencode.db`: the queries (parts with searchable
 * text, session titles) and the rows they return turned into index documents. Pure: the indexer
 * runs the queries.
 */

import type { IndexDoc } from "../search/search_index.ts";
import type { Row } from "./database.ts";

/** Tool output beyond this many characters is not indexed (a 10 MB log would swamp the file). */
const MAX_TOOL_TEXT = 20_000;
/** Parts that hold searchable text. */
const PART_COLUMNS = `rowid AS row, id, message_id, session_id, time_updated,
  json_extract(data, '$.type') AS type, json_extract(data, '$.text') AS text,
  json_extract(data, '$.synthetic') AS synthetic, json_extract(data, '$.tool') AS tool,
  substr(json_extract(data, '$.state.output'), 1, ${MAX_TOOL_TEXT}) AS output`;

/** What the indexer reads from `opencode.db`. */
export const SOURCE_SQL = {
  maxPart: "SELECT MAX(rowid) AS max FROM part",
  partsAfter: `SELECT ${PART_COLUMNS} FROM part WHERE rowid > ? ORDER BY rowid LIMIT ?`,
  partsChanged: `SELECT ${PART_COLUMNS} FROM part WHERE rowid <= ? AND time_updated > ?`,
  partsOfMessage: `SELECT ${PART_COLUMNS} FROM part WHERE message_id = ?`,
  /** Sessions changed since a time, a batch at a time in rowid order (`row` is the cursor). */
  sessionsChanged: `SELECT rowid AS row, id, title, time_updated FROM session
    WHERE time_updated > ? AND rowid > ? ORDER BY rowid LIMIT ?`,
  session: "SELECT id, title, time_updated FROM session WHERE id = ?",
};

/** Each session row's title, as a `title:` document. */
export function sessionDocs(rows: Row[]): IndexDoc[] {
  return rows.map((row) => ({
    key: `title:${row.id}`,
    sessionID: String(row.id),
    kind: "title" as const,
    time: Number(row.time_updated),
    text: String(row.title ?? ""),
  }));
}

/** Text parts (not synthetic ones: those are file contents OpenCode added) and tool output. */
export function partDocs(rows: Row[]): IndexDoc[] {
  const docs: IndexDoc[] = [];
  for (const row of rows) {
    const base = {
      key: `part:${row.id}`,
      sessionID: String(row.session_id),
      messageID: String(row.message_id),
      time: Number(row.time_updated),
    };
    if (row.type === "text" && !row.synthetic) {
      docs.push({ ...base, kind: "text", text: String(row.text ?? "") });
    } else if (row.type === "tool" && typeof row.output === "string") {
      docs.push({ ...base, kind: "tool", text: `${row.tool ?? ""}\n${row.output}` });
    }
  }
  return docs;
}
