/**
 * Reading OpenCode's current storage, `opencode.db` (SQLite in WAL mode, written at the same time
 * by a running opencode). The database is opened read-only with `node:sqlite`; every call runs
 * its statements in autocommit mode, so no transaction stays open between requests, and a busy
 * database is waited on briefly by SQLite's busy handler. Lists use SQL aggregates, ordering and
 * `LIMIT`, so a page never loads every session. Ids reach SQL only as bound parameters.
 */

import type { DatabaseSync, SQLInputValue, StatementSync } from "node:sqlite";
import {
  baseName,
  type DiscoveryStore,
  GLOBAL_PROJECT,
  globalProjectDirectory,
  globalProjectId,
  type ListSessionsOptions,
  type Project,
  promptList,
  type SessionSummary,
} from "../../common/discovery_types.ts";
import type { MessageWithParts } from "../../common/message.ts";
import type { Message, Part } from "@opencode-ai/sdk/v2/client";
import { SQL, toProject, toSession } from "../opencode_db/discovery_queries.ts";
import { num, opencodeDbPath, openOpencodeDb, type Row, str } from "../opencode_db/database.ts";

/** Projects whose session order is kept (a project of 20,000 sessions: 160 KB). */
const KEPT_KEY_LISTS = 8;

/** `recentSessions(n)` picks the newest updated among the last `n` × this sessions written. */
const RECENT_WINDOW = 4;

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
  #projects: { version: number; projects: Project[]; byId: Map<string, Project> } | undefined;
  /** The session keys of the projects listed last (see `#sessionKeys`), oldest first. */
  #keys = new Map<string, { version: number; rowids: number[] }>();

  constructor(dataDir: string, path = opencodeDbPath(dataDir)) {
    this.dataDir = dataDir;
    try {
      this.#db = openOpencodeDb(path);
    } catch (error) {
      throw new Error(`Cannot read "${path}": ${(error as Error).message}`);
    }
  }

  listProjects(): Project[] {
    const version = num(this.#all("PRAGMA data_version")[0]?.data_version);
    if (this.#projects?.version !== version) {
      const projects = this.#readProjects();
      this.#projects = {
        version,
        projects,
        byId: new Map(projects.map((project) => [project.id, project])),
      };
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

  /**
   * A project and its totals: from the project list while it is current (every page with a
   * sidebar reads it anyway; summing a project of 20,000 sessions again costs milliseconds),
   * else read on its own.
   */
  getProject(projectId: string): Project | undefined {
    const version = num(this.#all("PRAGMA data_version")[0]?.data_version);
    if (this.#projects?.version === version) return this.#projects.byId.get(projectId);
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
    const keys = this.#sessionKeys(projectId, archived);
    const page = keys.slice(offset, offset + limit);
    const rows = new Map(
      this.#all(SQL.sessionsByRowid, JSON.stringify(page)).map((row) => [num(row.rowid), row]),
    );
    const sessions = page.flatMap((rowid) => {
      const row = rows.get(rowid);
      return row ? [toSession(row)] : []; // deleted since the keys were read: skipped
    });
    return { sessions: this.#withChangeTotals(sessions), hasMore: keys.length > offset + limit };
  }

  /** A project's root sessions in list order (rowids), kept while `data_version` stands. */
  #sessionKeys(projectId: string, archived: number): number[] {
    const version = num(this.#all("PRAGMA data_version")[0]?.data_version);
    const key = `${archived}:${projectId}`;
    const kept = this.#keys.get(key);
    if (kept?.version === version) return kept.rowids;
    const directory = globalProjectDirectory(projectId);
    const rowids =
      (directory !== undefined
        ? this.#all(SQL.globalSessionKeys, directory, archived)
        : this.#all(SQL.sessionKeys, projectId, archived)).map((row) => num(row.rowid));
    this.#keys.delete(key);
    this.#keys.set(key, { version, rowids });
    for (const [old] of this.#keys) {
      if (this.#keys.size <= KEPT_KEY_LISTS) break;
      this.#keys.delete(old);
    }
    return rowids;
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

  listMessages(sessionId: string, options: { limit?: number } = {}): MessageWithParts[] {
    const limited = options.limit !== undefined;
    const messageRows = limited
      ? this.#all(SQL.latestMessages, sessionId, options.limit!)
      : this.#all(SQL.messages, sessionId);
    // Keyed by the ids just read: a message committed in between cannot shift the window.
    const partRows = limited
      ? this.#all(SQL.partsOf, JSON.stringify(messageRows.map((row) => str(row.id))))
      : this.#all(SQL.parts, sessionId);
    const partsByMessage = new Map<string, Part[]>();
    for (const row of partRows) {
      const data = this.#json(row.data, "part", str(row.id));
      if (!data) continue;
      const messageID = str(row.message_id);
      const part = {
        ...data,
        id: str(row.id),
        sessionID: str(row.session_id),
        messageID,
      } as Part;
      const list = partsByMessage.get(messageID);
      if (list) list.push(part);
      else partsByMessage.set(messageID, [part]);
    }
    const messages: MessageWithParts[] = [];
    for (const row of messageRows) {
      const data = this.#json(row.data, "message", str(row.id));
      if (!data) continue;
      const info = {
        ...data,
        id: str(row.id),
        sessionID: str(row.session_id),
      } as Message;
      messages.push({ info, parts: partsByMessage.get(info.id) ?? [] });
    }
    return messages;
  }

  countMessagesFrom(sessionId: string, messageId: string): number {
    return num(this.#all(SQL.countMessagesFrom, messageId, sessionId)[0]?.count ?? 0);
  }

  recentSessions(limit: number): SessionSummary[] {
    const count = Math.max(1, limit);
    return this.#all(SQL.recentSessions, count * RECENT_WINDOW, count).map(toSession);
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
