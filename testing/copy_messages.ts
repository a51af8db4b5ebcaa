/**
 * A long history made fast, for tests: copies of a session's first message written before it in
 * an `opencode.db` (a test world's own, or a copy of it; never a user's), as OpenCode's rows, with
 * new ids `<prefix>00000`, `<prefix>00001`, … in time order.
 *
 * @example
 * ```ts
 * copyFirstMessage(new DatabaseSync(join(world.dataDir, "opencode.db")), session.id, 250, "msg_copy_");
 * ```
 */

import type { DatabaseSync } from "node:sqlite";

/** Writes `count` copies of `sessionId`'s first message before it, in one transaction. */
export function copyFirstMessage(
  db: DatabaseSync,
  sessionId: string,
  count: number,
  idPrefix: string,
): void {
  const [first] = db.prepare(
    "SELECT * FROM message WHERE session_id = ? ORDER BY time_created LIMIT 1",
  ).all(sessionId) as Record<string, string | number>[];
  if (!first) throw new Error(`Session ${sessionId} has no message to copy`);
  const columns = Object.keys(first);
  const insert = db.prepare(
    `INSERT INTO message (${columns.join(", ")}) VALUES (${columns.map(() => "?").join(", ")})`,
  );
  db.exec("BEGIN");
  for (let n = 0; n < count; n++) {
    insert.run(
      ...columns.map((column) =>
        column === "id"
          ? `${idPrefix}${String(n).padStart(5, "0")}`
          : column === "time_created"
          ? Number(first.time_created) - count + n
          : first[column]
      ),
    );
  }
  db.exec("COMMIT");
}
