/**
 * Reading OpenCode's current storage, `opencode.db` (SQLite in WAL mode, written at the same time
 * by a running opencode). The database is opened read-only with `node:sqlite`; every call runs
 * its statements in autocommit mode, so no transaction stays open between requests, and a busy
 * database is waited on briefly by SQLite's busy handler. Lists use SQL aggregates, ordering and
 * `LIMIT`, so a page never loads every session. Ids reach SQL only as bound parameters.
 */

import { DatabaseSync, type SQLInputValue, type StatementSync } from "node:sqlite";
import { join } from "node:path";
import {
  baseName,
  type DiscoveryStore,
  GLOBAL_PROJECT,
  globalProjectDirectory,
  globalProjectId,
  type ListSessionsOptions,
  type Project,
  PROMPT_SESSIONS,
  promptList,
  type SessionSummary,
  type StoredMessage,
} from "./types.ts";

type Row = Record<string, SQLInputValue>;

const SESSION_COLUMNS = `s.id, s.project_id, s.directory, s.title, s.parent_id, s.time_created,
  s.time_updated, s.time_archived, s.cost, s.summary_additions, s.summary_deletions,
  s.summary_files, json_extract(s.revert, '$.messageID') AS revert_message_id,
  (SELECT COUNT(*) FROM session c WHERE c.parent_id = s.id) AS child_count`;

const SQL = {
  projects:
    `SELECT id, worktree, vcs, name, time_updated FROM project WHERE id != '${GLOBAL_PROJECT}'`,
  project:
    `SELECT id, worktree, vcs, name, time_updated FROM project WHERE id = ? AND id != '${GLOBAL_PROJECT}'`,
  projectTotals: `SELECT project_id AS key,
      SUM(parent_id IS NULL AND time_archived IS NULL) AS sessions, MAX(time_updated) AS last
    FROM session WHERE project_id != '${GLOBAL_PROJECT}' GROUP BY project_id`,
  projectTotal: `SELECT SUM(parent_id IS NULL AND time_archived IS NULL) AS sessions,
      MAX(time_updated) AS last FROM session WHERE project_id = ?`,
  globalTotals: `SELECT directory AS key,
      SUM(parent_id IS NULL AND time_archived IS NULL) AS sessions, MAX(time_updated) AS last
    FROM session WHERE project_id = '${GLOBAL_PROJECT}' GROUP BY directory`,
  globalTotal:
    `SELECT COUNT(*) AS count, SUM(parent_id IS NULL AND time_archived IS NULL) AS sessions,
      MAX(time_updated) AS last FROM session WHERE project_id = '${GLOBAL_PROJECT}' AND directory = ?`,
  sessions: `SELECT ${SESSION_COLUMNS} FROM session s
    WHERE s.project_id = ? AND s.project_id != '${GLOBAL_PROJECT}' AND s.parent_id IS NULL
      AND (? OR s.time_archived IS NULL)
    ORDER BY s.time_updated DESC, s.id DESC LIMIT ? OFFSET ?`,
  globalSessions: `SELECT ${SESSION_COLUMNS} FROM session s
    WHERE s.project_id = '${GLOBAL_PROJECT}' AND s.directory = ? AND s.parent_id IS NULL
      AND (? OR s.time_archived IS NULL)
    ORDER BY s.time_updated DESC, s.id DESC LIMIT ? OFFSET ?`,
  session: `SELECT ${SESSION_COLUMNS} FROM session s WHERE s.id = ?`,
  children: `SELECT ${SESSION_COLUMNS} FROM session s WHERE s.parent_id = ?
    ORDER BY s.time_created, s.id`,
  messages: `SELECT id, session_id, data FROM message WHERE session_id = ?
    ORDER BY time_created, id`,
  parts:
    `SELECT id, message_id, session_id, data FROM part WHERE session_id = ? ORDER BY message_id, id`,
  latestMessages: `SELECT id, session_id, data FROM (
      SELECT id, session_id, data, time_created FROM message WHERE session_id = ?
      ORDER BY time_created DESC, id DESC LIMIT ?
    ) ORDER BY time_created, id`,
  countMessagesFrom: `SELECT COUNT(*) AS count FROM message m, message target
    WHERE target.id = ? AND target.session_id = ? AND m.session_id = target.session_id
      AND (m.time_created, m.id) >= (target.time_created, target.id)`,
  recentSessions: `SELECT ${SESSION_COLUMNS} FROM session s
    ORDER BY s.time_updated DESC, s.id DESC LIMIT ?`,
  // OpenCode 1.18 records changed files per user message (`summary.diffs`), not on the session
  // row: the totals of the sessions on a page, leaving out messages an Undo hides.
  changeTotals: `SELECT m.session_id AS id,
      COUNT(DISTINCT json_extract(d.value, '$.file')) AS files,
      SUM(json_extract(d.value, '$.additions')) AS additions,
      SUM(json_extract(d.value, '$.deletions')) AS deletions
    FROM session s JOIN message m ON m.session_id = s.id,
      json_each(m.data, '$.summary.diffs') d
    WHERE s.id IN (SELECT value FROM json_each(?))
      AND (s.revert IS NULL OR m.id < json_extract(s.revert, '$.messageID'))
    GROUP BY m.session_id`,
  prompts: `SELECT m.id AS message_id, json_extract(p.data, '$.text') AS text
    FROM message m JOIN part p ON p.message_id = m.id
    WHERE m.session_id IN (SELECT id FROM session WHERE project_id = ? AND (? IS NULL OR directory = ?)
        AND parent_id IS NULL ORDER BY time_updated DESC LIMIT ${PROMPT_SESSIONS})
      AND json_extract(m.data, '$.role') = 'user' AND json_extract(p.data, '$.type') = 'text'
      AND json_extract(p.data, '$.synthetic') IS NOT 1
    ORDER BY m.time_created DESC, m.id DESC, p.id LIMIT ?`,
  /** Parts of exactly the messages read (a JSON array of their ids), not a second "latest N". */
  partsOf: `SELECT id, message_id, session_id, data FROM part
    WHERE message_id IN (SELECT value FROM json_each(?)) ORDER BY message_id, id`,
  recentDirectories: `SELECT directory, MAX(time_updated) AS last FROM session
    WHERE time_updated >= ? GROUP BY directory ORDER BY last DESC LIMIT 200`,
};

// SQLite hands back numbers, bigints, strings or null for a column: these coerce (unlike
// lib/values.ts, which rejects what is not already the right type).
const num = (
  value: SQLInputValue,
): number => (typeof value === "number" ? value : Number(value ?? 0));
const str = (
  value: SQLInputValue,
): string => (value === null || value === undefined ? "" : String(value));

/**
 * Read-only access to `opencode.db`.
 *
 * @example
 * ```ts
 * const store = new SqliteStore("/home/me/.local/share/opencode");
 * const projects = store.listProjects();
 * store.close();
 * ```
 */
export class SqliteStore implements DiscoveryStore {
  readonly kind = "sqlite" as const;
  readonly dataDir: string;
  #db: DatabaseSync;
  #statements = new Map<string, StatementSync>();
  #warned = new Set<string>();
  /** The project list, kept until another connection commits (SQLite's `data_version` moves). */
  #projects: { version: number; projects: Project[] } | undefined;

  constructor(dataDir: string, path = join(dataDir, "opencode.db")) {
    this.dataDir = dataDir;
    try {
      this.#db = new DatabaseSync(path, { readOnly: true });
      // Wait up to 250 ms for a writer's lock instead of failing at once with SQLITE_BUSY.
      this.#db.exec("PRAGMA busy_timeout = 250");
    } catch (error) {
      throw new Error(`Cannot read "${path}": ${(error as Error).message}`);
    }
  }

  listProjects(): Project[] {
    const version = num(this.#all("PRAGMA data_version")[0]?.data_version);
    if (this.#projects?.version !== version) {
      this.#projects = { version, projects: this.#readProjects() };
    }
    return this.#projects.projects;
  }

  #readProjects(): Project[] {
    const totals = new Map(this.#all(SQL.projectTotals).map((row) => [str(row.key), row]));
    const projects = this.#all(SQL.projects).map((row) => toProject(row, totals.get(str(row.id))));
    for (const row of this.#all(SQL.globalTotals)) {
      const directory = str(row.key);
      projects.push({
        id: globalProjectId(directory),
        name: baseName(directory),
        worktree: directory,
        vcs: null,
        sessionCount: num(row.sessions),
        lastActivity: num(row.last),
      });
    }
    return projects.sort((a, b) => b.lastActivity - a.lastActivity || a.name.localeCompare(b.name));
  }

  getProject(projectId: string): Project | undefined {
    const directory = globalProjectDirectory(projectId);
    if (directory !== undefined) {
      const [total] = this.#all(SQL.globalTotal, directory);
      if (!total || num(total.count) === 0) return undefined;
      return {
        id: projectId,
        name: baseName(directory),
        worktree: directory,
        vcs: null,
        sessionCount: num(total.sessions),
        lastActivity: num(total.last),
      };
    }
    const [row] = this.#all(SQL.project, projectId);
    if (!row) return undefined;
    return toProject(row, this.#all(SQL.projectTotal, projectId)[0]);
  }

  listSessions(projectId: string, options: ListSessionsOptions = {}) {
    const limit = Math.max(1, Math.min(options.limit ?? 50, 500));
    const offset = Math.max(0, options.offset ?? 0);
    const archived = options.archived ? 1 : 0;
    const directory = globalProjectDirectory(projectId);
    const rows = directory !== undefined
      ? this.#all(SQL.globalSessions, directory, archived, limit + 1, offset)
      : this.#all(SQL.sessions, projectId, archived, limit + 1, offset);
    return {
      sessions: this.#withChangeTotals(rows.slice(0, limit).map(toSession)),
      hasMore: rows.length > limit,
    };
  }

  getSession(sessionId: string): SessionSummary | undefined {
    const [row] = this.#all(SQL.session, sessionId);
    return row ? this.#withChangeTotals([toSession(row)])[0] : undefined;
  }

  /**
   * Sessions whose row has no change totals get them from their messages' `summary.diffs`. So do
   * reverted sessions: OpenCode's revert sets the row's summary to the undone range's diff (what
   * Undo took back), so the row's figures would count exactly the changes that are gone.
   */
  #withChangeTotals(sessions: SessionSummary[]): SessionSummary[] {
    const missing = sessions.filter((session) => session.files === 0 || session.revertMessageID)
      .map((session) => session.id);
    if (missing.length === 0) return sessions;
    const totals = new Map(
      this.#all(SQL.changeTotals, JSON.stringify(missing)).map((row) => [str(row.id), row]),
    );
    return sessions.map((session) => {
      const row = totals.get(session.id);
      return row
        ? {
          ...session,
          files: num(row.files),
          additions: num(row.additions),
          deletions: num(row.deletions),
        }
        : session.revertMessageID
        ? { ...session, files: 0, additions: 0, deletions: 0 } // everything it changed is undone
        : session;
    });
  }

  listChildren(sessionId: string): SessionSummary[] {
    return this.#all(SQL.children, sessionId).map(toSession);
  }

  listMessages(sessionId: string, options: { limit?: number } = {}): StoredMessage[] {
    const limited = options.limit !== undefined;
    const messageRows = limited
      ? this.#all(SQL.latestMessages, sessionId, options.limit!)
      : this.#all(SQL.messages, sessionId);
    // Keyed by the ids just read: a message committed in between cannot shift the window.
    const partRows = limited
      ? this.#all(SQL.partsOf, JSON.stringify(messageRows.map((row) => str(row.id))))
      : this.#all(SQL.parts, sessionId);
    const partsByMessage = new Map<string, StoredMessage["parts"]>();
    for (const row of partRows) {
      const data = this.#json(row.data, "part", str(row.id));
      if (!data) continue;
      const messageID = str(row.message_id);
      const part = {
        ...data,
        id: str(row.id),
        sessionID: str(row.session_id),
        messageID,
      } as unknown as StoredMessage["parts"][number];
      const list = partsByMessage.get(messageID);
      if (list) list.push(part);
      else partsByMessage.set(messageID, [part]);
    }
    const messages: StoredMessage[] = [];
    for (const row of messageRows) {
      const data = this.#json(row.data, "message", str(row.id));
      if (!data) continue;
      const info = {
        ...data,
        id: str(row.id),
        sessionID: str(row.session_id),
      } as unknown as StoredMessage["info"];
      messages.push({ info, parts: partsByMessage.get(info.id) ?? [] });
    }
    return messages;
  }

  countMessagesFrom(sessionId: string, messageId: string): number {
    return num(this.#all(SQL.countMessagesFrom, messageId, sessionId)[0]?.count ?? 0);
  }

  recentSessions(limit: number): SessionSummary[] {
    return this.#all(SQL.recentSessions, Math.max(1, limit)).map(toSession);
  }

  listPrompts(projectId: string, options: { limit?: number } = {}): string[] {
    const limit = options.limit ?? 100;
    const directory = globalProjectDirectory(projectId) ?? null;
    const rows = directory === null
      ? this.#all(SQL.prompts, projectId, null, null, limit * 4)
      : this.#all(SQL.prompts, GLOBAL_PROJECT, directory, directory, limit * 4);
    // A message's text parts, joined, in the order the rows came (newest message first).
    const texts = new Map<string, string>();
    for (const row of rows) {
      const id = str(row.message_id);
      const text = str(row.text);
      texts.set(id, texts.has(id) ? `${texts.get(id)}\n${text}` : text);
    }
    return promptList(texts.values(), limit);
  }

  recentDirectories(sinceMs: number): string[] {
    return this.#all(SQL.recentDirectories, sinceMs).map((row) => str(row.directory));
  }

  close(): void {
    this.#statements.clear();
    this.#db.close();
  }

  #all(sql: string, ...params: SQLInputValue[]): Row[] {
    let statement = this.#statements.get(sql);
    if (!statement) {
      statement = this.#db.prepare(sql);
      this.#statements.set(sql, statement);
    }
    for (let attempt = 1;; attempt++) {
      try {
        return statement.all(...params) as Row[];
      } catch (error) {
        // The busy handler already waited; one more try covers a writer finishing just then.
        if (attempt >= 3 || !/SQLITE_BUSY|database is locked/i.test(String(error))) throw error;
      }
    }
  }

  /** Parses a JSON column; a corrupt row is skipped with one warning per kind. */
  #json(value: SQLInputValue, kind: string, id: string): Record<string, unknown> | undefined {
    try {
      const data = JSON.parse(str(value));
      if (data && typeof data === "object" && !Array.isArray(data)) return data;
      throw new Error("not an object");
    } catch (error) {
      if (!this.#warned.has(kind)) {
        this.#warned.add(kind);
        console.warn(
          `Skipping corrupt ${kind} "${id}" in opencode.db: ${(error as Error).message}`,
        );
      }
      return undefined;
    }
  }
}

function toProject(row: Row, totals: Row | undefined): Project {
  const worktree = str(row.worktree);
  return {
    id: str(row.id),
    name: str(row.name) || baseName(worktree),
    worktree,
    vcs: row.vcs === null ? null : str(row.vcs),
    sessionCount: num(totals?.sessions ?? 0),
    lastActivity: Math.max(num(row.time_updated), num(totals?.last ?? 0)),
  };
}

function toSession(row: Row): SessionSummary {
  const projectId = str(row.project_id);
  const directory = str(row.directory);
  return {
    id: str(row.id),
    projectID: projectId === GLOBAL_PROJECT ? globalProjectId(directory) : projectId,
    directory,
    title: str(row.title),
    parentID: row.parent_id === null ? null : str(row.parent_id),
    created: num(row.time_created),
    updated: num(row.time_updated),
    archived: row.time_archived !== null && row.time_archived !== undefined,
    childCount: num(row.child_count),
    cost: num(row.cost),
    additions: num(row.summary_additions),
    deletions: num(row.summary_deletions),
    files: num(row.summary_files),
    ...(row.revert_message_id ? { revertMessageID: str(row.revert_message_id) } : {}),
  };
}
