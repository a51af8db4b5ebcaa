/**
 * A project's sessions paged: newest first, every session once across the pages, the order kept
 * between pages while the database is unchanged and read again once it changes.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { SqliteStore } from "./sqlite_store.ts";
import { manyProjects } from "../../../testing/many_projects.ts";
import { appOver } from "../../../testing/app_over.ts";

Deno.test("a project's sessions page newest first, each once, and follow a new write", async () => {
  await using world = await manyProjects(2, (project) => (project === 0 ? 130 : 1));
  const store = new SqliteStore(world.dataDir);
  const writer = new DatabaseSync(join(world.dataDir, "opencode.db"));
  try {
    const project = world.projectIds[0];
    const pages = [0, 50, 100, 150].map((offset) => store.listSessions(project, { offset }));
    assert.deepEqual(pages.map((page) => page.sessions.length), [50, 50, 30, 0]);
    assert.deepEqual(pages.map((page) => page.hasMore), [true, true, false, false]);
    const ids = pages.flatMap((page) => page.sessions.map((session) => session.id));
    assert.equal(new Set(ids).size, 130);
    const updated = pages.flatMap((page) => page.sessions.map((session) => session.updated));
    assert.deepEqual(updated, [...updated].sort((a, b) => b - a), "newest first");

    writer.prepare(
      `INSERT INTO session (id, project_id, directory, title, time_created, time_updated)
        VALUES ('ses_new', ?, '/work/project-0000', 'Brand new', 1900000000000, 1900000000000)`,
    ).run(project);
    const first = store.listSessions(project, { limit: 3 });
    assert.equal(first.sessions[0].title, "Brand new", "a new session is listed at once");
    assert.equal(store.getProject(project)?.sessionCount, 131);

    using palot = appOver(world.dataDir, { status: "starting" });
    const html = await (await palot.fetch(`/project/${project}?page=3`)).text();
    assert.match(html, /131 sessions/);
    assert.equal(html.match(/class="session-row"/g)?.length, 31);
    assert.doesNotMatch(html, />More<\/a>/);
  } finally {
    writer.close();
    store.close();
  }
});
