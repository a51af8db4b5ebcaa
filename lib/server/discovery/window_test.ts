/**
 * The message window of `SqliteStore.listMessages` stays consistent while opencode writes: a
 * message committed between reading the messages and reading their parts must not shift the window
 * (a writer is made to commit at exactly that moment).
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { DatabaseSync, StatementSync } from "node:sqlite";
import { SqliteStore } from "./sqlite_store.ts";

Deno.test("a message committed between the two reads does not shift the window", async () => {
  const dir = await Deno.makeTempDir({ prefix: "palot-window-" });
  const writer = new DatabaseSync(join(dir, "opencode.db"));
  try {
    writer.exec(`PRAGMA journal_mode = WAL;
      CREATE TABLE message (id TEXT PRIMARY KEY, session_id TEXT, time_created INTEGER, data TEXT);
      CREATE TABLE part (id TEXT PRIMARY KEY, message_id TEXT, session_id TEXT, data TEXT);`);
    const add = (n: number) => {
      writer.prepare("INSERT INTO message VALUES (?, 'ses_1', ?, ?)")
        .run(`msg_${n}`, n, JSON.stringify({ role: "user" }));
      writer.prepare("INSERT INTO part VALUES (?, ?, 'ses_1', ?)")
        .run(`prt_${n}`, `msg_${n}`, JSON.stringify({ type: "text", text: `Message ${n}` }));
    };
    for (let n = 1; n <= 3; n++) add(n);
    const store = new SqliteStore(dir);
    const all = StatementSync.prototype.all;
    let committed = false;
    StatementSync.prototype.all = function (this: StatementSync, ...params: unknown[]) {
      const rows = (all as (...args: unknown[]) => unknown[]).apply(this, params);
      if (
        !committed &&
        /^SELECT id, session_id, data FROM \(\s+SELECT id, session_id, data, time_created FROM message/
          .test(this.sourceSQL)
      ) {
        committed = true;
        add(4);
      }
      return rows;
    } as typeof all;
    try {
      const window = store.listMessages("ses_1", { limit: 3 });
      assert.ok(committed, "the writer committed between the reads");
      assert.deepEqual(
        window.map((
          message,
        ) => [message.info.id, message.parts.map((part) => part.type === "text" ? part.text : "")]),
        [["msg_1", ["Message 1"]], ["msg_2", ["Message 2"]], ["msg_3", ["Message 3"]]],
      );
    } finally {
      StatementSync.prototype.all = all;
      store.close();
    }
    assert.deepEqual(
      new SqliteStore(dir).listMessages("ses_1", { limit: 2 }).map((message) => message.info.id),
      ["msg_3", "msg_4"],
    );
  } finally {
    writer.close();
    await Deno.remove(dir, { recursive: true });
  }
});
