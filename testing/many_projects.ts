/**
 * A small `opencode.db` with many projects and sessions, written with `node:sqlite` in OpenCode's
 * own table shapes (only the columns Palot reads): for unit tests of paged lists and bounded
 * answers, which need more rows than the legacy fixture has and no opencode.
 */

import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";

export interface ManyProjects {
  dataDir: string;
  /** Project ids, newest activity first (the home page's order). */
  projectIds: string[];
  [Symbol.asyncDispose](): Promise<void>;
}

/**
 * `projects` git projects named `project-NNNN`; project `i` has `sessionsOf(i)` root sessions
 * titled `Session i.j`, the project with the smallest index the newest.
 */
export async function manyProjects(
  projects: number,
  sessionsOf: (project: number) => number = () => 1,
): Promise<ManyProjects> {
  const dataDir = await Deno.makeTempDir({ prefix: "palot-many-" });
  const db = new DatabaseSync(join(dataDir, "opencode.db"));
  db.exec(`PRAGMA journal_mode = WAL;
    CREATE TABLE project (id TEXT PRIMARY KEY, worktree TEXT NOT NULL, vcs TEXT, name TEXT,
      time_updated INTEGER NOT NULL, sandboxes TEXT DEFAULT '[]' NOT NULL);
    CREATE TABLE session (id TEXT PRIMARY KEY, project_id TEXT NOT NULL, parent_id TEXT,
      directory TEXT NOT NULL, title TEXT NOT NULL, cost REAL DEFAULT 0 NOT NULL,
      summary_additions INTEGER, summary_deletions INTEGER, summary_files INTEGER, revert TEXT,
      time_created INTEGER NOT NULL, time_updated INTEGER NOT NULL, time_archived INTEGER);
    CREATE INDEX session_project_idx ON session (project_id);
    CREATE INDEX session_parent_idx ON session (parent_id);
    CREATE TABLE message (id TEXT PRIMARY KEY, session_id TEXT NOT NULL, time_created INTEGER,
      time_updated INTEGER, data TEXT NOT NULL);
    CREATE TABLE part (id TEXT PRIMARY KEY, message_id TEXT NOT NULL, session_id TEXT NOT NULL,
      time_created INTEGER, time_updated INTEGER, data TEXT NOT NULL);`);
  const now = 1_800_000_000_000;
  const addProject = db.prepare(
    "INSERT INTO project (id, worktree, vcs, time_updated) VALUES (?, ?, 'git', ?)",
  );
  const addSession = db.prepare(
    `INSERT INTO session (id, project_id, directory, title, time_created, time_updated)
      VALUES (?, ?, ?, ?, ?, ?)`,
  );
  const projectIds: string[] = [];
  db.exec("BEGIN");
  for (let i = 0; i < projects; i++) {
    const id = `prj_${String(i).padStart(4, "0")}`;
    const worktree = `/work/project-${String(i).padStart(4, "0")}`;
    projectIds.push(id);
    const time = now - i * 60_000;
    addProject.run(id, worktree, time);
    for (let j = 0; j < sessionsOf(i); j++) {
      addSession.run(
        `ses_${i}_${String(j).padStart(6, "0")}`,
        id,
        worktree,
        `Session ${i}.${j}`,
        time - j * 1_000,
        time - j * 1_000,
      );
    }
  }
  db.exec("COMMIT");
  db.close();
  return {
    dataDir,
    projectIds,
    [Symbol.asyncDispose]: () => Deno.remove(dataDir, { recursive: true }),
  };
}
