/**
 * The indexer's first build over many sessions: batches (never every session in one read),
 * search usable while it builds (results so far, with the progress saying it is building), and a
 * restart that resumes from the stored cursors instead of starting over.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { DatabaseSync, StatementSync } from "node:sqlite";
import { SearchIndexer } from "./indexer.ts";
import { MAX_COMPLETIONS } from "./query.ts";
import { manyProjects } from "../../../testing/many_projects.ts";

/** Every `all()` of the source's session and part reads: its SQL's first words and parameters. */
function spyReads() {
  const reads: { sql: string; params: unknown[]; rows: number }[] = [];
  const all = StatementSync.prototype.all;
  StatementSync.prototype.all = function (this: StatementSync, ...params: unknown[]) {
    const rows = (all as (...args: unknown[]) => unknown[]).apply(this, params);
    if (/FROM (session|part)\s+WHERE .*rowid > \?/s.test(this.sourceSQL)) {
      reads.push({ sql: this.sourceSQL, params, rows: rows.length });
    }
    return rows;
  } as typeof all;
  return { reads, [Symbol.dispose]: () => (StatementSync.prototype.all = all) };
}

Deno.test("the first build reads in batches, is searchable meanwhile and resumes after a restart", async () => {
  // 40 projects of 30 sessions, each session with one text part.
  await using world = await manyProjects(40, () => 30);
  const db = new DatabaseSync(join(world.dataDir, "opencode.db"));
  const sessions = db.prepare("SELECT id, time_updated FROM session ORDER BY rowid").all();
  db.exec("BEGIN");
  for (const [i, session] of sessions.entries()) {
    db.prepare("INSERT INTO message VALUES (?, ?, ?, ?, ?)").run(
      `msg_${i}`,
      session.id,
      session.time_updated,
      session.time_updated,
      JSON.stringify({ role: "user" }),
    );
    db.prepare("INSERT INTO part VALUES (?, ?, ?, ?, ?, ?)").run(
      `prt_${i}`,
      `msg_${i}`,
      session.id,
      session.time_updated,
      session.time_updated,
      JSON.stringify({ type: "text", text: `needle number ${i}` }),
    );
  }
  db.exec("COMMIT");
  db.close();
  const indexPath = join(world.dataDir, "..", `${crypto.randomUUID()}-search.db`);
  try {
    using spy = spyReads();
    const first = new SearchIndexer({ dataDir: world.dataDir, indexPath, batchSize: 20 });
    first.start();
    // Stop it partway through the parts, as a Palot restarted mid-build would.
    while (first.progress.state !== "building" || first.progress.done < 300) {
      await new Promise((resolve) => setTimeout(resolve, 0));
    }
    const midway = first.search("needle", { limit: 5 });
    assert.equal(midway.progress.state, "building", "search answers while the build runs");
    assert.equal(midway.hits.length, 5, "with the results so far");
    await first.stop();
    const titleReads = spy.reads.filter((read) => read.sql.includes("FROM session"));
    assert.ok(titleReads.length >= 6, `titles read in batches (${titleReads.length} reads)`);
    assert.ok(spy.reads.every((read) => read.rows <= 200), "no read returns more than a batch");
    const stoppedAt = Math.max(
      ...spy.reads.filter((read) => read.sql.includes("FROM part")).map((read) =>
        Number(read.params[0])
      ),
    );
    assert.ok(stoppedAt > 0 && stoppedAt < 1200, `stopped midway (${stoppedAt})`);

    spy.reads.length = 0;
    const second = new SearchIndexer({ dataDir: world.dataDir, indexPath, batchSize: 20 });
    second.start();
    await second.idle();
    const firstPartRead = spy.reads.find((read) => read.sql.includes("FROM part"))!;
    assert.ok(Number(firstPartRead.params[0]) >= stoppedAt, "the parts resume from the cursor");
    assert.equal(second.progress.state, "ready");
    assert.equal(second.stats().entries, 2400, "every title and part, once");
    const all = second.search("needle", { limit: 2000 });
    assert.equal(all.hits.length, 1200);
    // Counted up to the cap; a typed last word stands for the words that start with it.
    const common = second.search("needle", { limit: 20 });
    assert.deepEqual([common.hits.length, common.hasMore, common.total, common.capped], [
      20,
      true,
      1000,
      true,
    ]);
    const typed = second.search("needle 7", { limit: 20 });
    // 111 sessions have a number starting with 7 (7, 70–79, 700–799): the first 50 such words
    // in order (7, 70, 700–709, 71, …) stand for the prefix, a bounded answer.
    assert.equal(typed.total, MAX_COMPLETIONS);
    assert.equal(typed.hits.length, 20);
    assert.equal(typed.capped, false);
    assert.equal(second.search("need", { limit: 20 }).capped, true);
    assert.equal(second.sessionsByTitle("session 1", 50).length, 50, "a bounded answer");
    await second.stop();
  } finally {
    for (const suffix of ["", "-wal", "-shm"]) {
      await Deno.remove(indexPath + suffix).catch(() => {});
    }
  }
});
