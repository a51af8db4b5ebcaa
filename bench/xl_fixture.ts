/**
 * The XL benchmark fixture: 1,000 projects and at least 500,000 sessions, made from the real
 * opencode's rows of the regular fixture (`fixture.ts`). OpenCode itself would need hours to
 * create half a million sessions through its API, so this copies its own rows instead: the base
 * fixture's `opencode.db` is copied (`VACUUM INTO`) into a separate data folder of the XL fixture
 * (test data, never a user's storage), its projects, sessions, messages and parts are deleted
 * there, and each base session is written back many times with `node:sqlite`, every copy with
 * new ids (`ses_`/`msg_`/`prt_` + copy number + the original id), a new project and folder
 * (`projects/project-NNNN`, created empty), its title suffixed `(copy N)`, and times moved one
 * minute back per copy. The first project gets `bigProject` sessions (the project page's
 * figure), the rest are dealt round-robin. Cached in the system temp folder beside the base.
 */

import { join } from "node:path";
import { DatabaseSync, type SQLInputValue } from "node:sqlite";
import type { Fixture } from "./fixture.ts";

export interface XlFixtureOptions {
  projects: number;
  /** At least this many root sessions in all. */
  sessions: number;
  /** Root sessions of the first project. */
  bigProject: number;
}

export interface XlFixture {
  root: string;
  /** The XL fixture's own OpenCode data folder (holding `opencode.db`). */
  dataDir: string;
  /** The project with `bigProject` sessions. */
  bigProjectId: string;
  sessions: number;
  projects: number;
}

const VERSION = 1;

type Row = Record<string, SQLInputValue>;

/**
 * Returns the cached XL fixture made from `base`, building it first when missing.
 *
 * @example
 * ```ts
 * const xl = await ensureXlFixture(base, { projects: 1_000, sessions: 500_000, bigProject: 20_000 });
 * ```
 */
export async function ensureXlFixture(
  base: Fixture,
  options: XlFixtureOptions,
): Promise<XlFixture> {
  const root = `${base.root}-xl-v${VERSION}-${options.projects}p-${options.sessions}s`;
  const dataDir = join(root, "data");
  const marker = join(root, "complete.json");
  try {
    return JSON.parse(await Deno.readTextFile(marker));
  } catch { /* not built yet */ }
  await Deno.remove(root, { recursive: true }).catch(() => {});
  await Deno.mkdir(dataDir, { recursive: true });
  const started = Date.now();
  console.error(`Building the XL fixture in ${root} …`);
  const source = new DatabaseSync(join(base.dataDir, "opencode.db"), { readOnly: true });
  source.exec(`VACUUM INTO '${join(dataDir, "opencode.db").replaceAll("'", "''")}'`);
  const sessions = source.prepare("SELECT * FROM session WHERE parent_id IS NULL ORDER BY rowid")
    .all() as Row[];
  const projectTemplate = source.prepare("SELECT * FROM project LIMIT 1").get() as Row;
  const db = new DatabaseSync(join(dataDir, "opencode.db"));
  db.exec("PRAGMA journal_mode = WAL; PRAGMA synchronous = OFF; PRAGMA foreign_keys = OFF");
  db.exec("DELETE FROM part; DELETE FROM message; DELETE FROM session; DELETE FROM project");
  const insert = (table: string, row: Row) => {
    const columns = Object.keys(row);
    return db.prepare(
      `INSERT INTO ${table} (${columns.join(", ")}) VALUES (${columns.map(() => "?").join(", ")})`,
    );
  };
  const now = Date.now();
  const projectIds: string[] = [];
  db.exec("BEGIN");
  const addProject = insert("project", projectTemplate);
  for (let i = 0; i < options.projects; i++) {
    const name = `project-${String(i).padStart(4, "0")}`;
    const worktree = join(root, "projects", name);
    await Deno.mkdir(worktree, { recursive: true });
    const id = `xl${String(i).padStart(38, "0")}`;
    projectIds.push(id);
    addProject.run(
      ...Object.values({
        ...projectTemplate,
        id,
        worktree,
        name: null,
        time_created: now - 86_400_000,
        time_updated: now - 86_400_000,
      }),
    );
  }
  db.exec("COMMIT");
  const messagesOf = source.prepare("SELECT * FROM message WHERE session_id = ?");
  const partsOf = source.prepare("SELECT * FROM part WHERE session_id = ?");
  const copies = Math.ceil(options.sessions / sessions.length);
  let made = 0;
  let addSession, addMessage, addPart;
  for (let copy = 0; copy < copies; copy++) {
    db.exec("BEGIN");
    for (const session of sessions) {
      // The first `bigProject` sessions go to the first project, the rest round-robin.
      const project = made < options.bigProject
        ? 0
        : 1 + ((made - options.bigProject) % (options.projects - 1));
      made++;
      const id = `ses_x${copy}_${String(session.id).slice(4)}`;
      const shift = copy * 60_000;
      const row: Row = {
        ...session,
        id,
        project_id: projectIds[project],
        workspace_id: null,
        directory: join(root, "projects", `project-${String(project).padStart(4, "0")}`),
        title: `${session.title} (copy ${copy})`,
        time_created: Number(session.time_created) - shift,
        time_updated: Number(session.time_updated) - shift,
      };
      addSession ??= insert("session", row);
      addSession.run(...Object.values(row));
      for (const message of messagesOf.all(session.id as string) as Row[]) {
        const copied = {
          ...message,
          id: `msg_x${copy}_${String(message.id).slice(4)}`,
          session_id: id,
        };
        addMessage ??= insert("message", copied);
        addMessage.run(...Object.values(copied));
      }
      for (const part of partsOf.all(session.id as string) as Row[]) {
        const copied = {
          ...part,
          id: `prt_x${copy}_${String(part.id).slice(4)}`,
          message_id: `msg_x${copy}_${String(part.message_id).slice(4)}`,
          session_id: id,
        };
        addPart ??= insert("part", copied);
        addPart.run(...Object.values(copied));
      }
    }
    db.exec("COMMIT");
    if (copy % 10 === 9) console.error(`  ${made.toLocaleString("en")} sessions`);
  }
  db.exec("PRAGMA wal_checkpoint(TRUNCATE)");
  db.close();
  source.close();
  const fixture: XlFixture = {
    root,
    dataDir,
    bigProjectId: projectIds[0],
    sessions: made,
    projects: options.projects,
  };
  await Deno.writeTextFile(marker, JSON.stringify(fixture));
  console.error(`XL fixture built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return fixture;
}

/** The XL sizes: the (1,000 projects, 500,000 sessions, one of 20,000), or the smoke's. */
export function xlSizes(smoke: boolean): XlFixtureOptions {
  return smoke
    ? { projects: 20, sessions: 2_000, bigProject: 500 }
    : { projects: 1_000, sessions: 500_000, bigProject: 20_000 };
}
