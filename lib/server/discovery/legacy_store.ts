/**
 * Reading OpenCode's storage from before 1.2: JSON files under `storage/` (`project/<id>.json`,
 * `session/<projectID>/<id>.json`, `message/<sessionID>/<id>.json`, `part/<messageID>/<id>.json`).
 * Used only when there is no `opencode.db`. Projects and sessions are read once and kept for a
 * couple of seconds; a corrupt or unreadable file is skipped with one warning naming it.
 */

import { join } from "node:path";
import { asNumber as num, asString as str } from "../../common/values.ts";
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
  sandboxList,
  type SessionSummary,
} from "../../common/discovery_types.ts";
import type { MessageWithParts } from "../../common/message.ts";
import type { Message, Part } from "@opencode-ai/sdk/v2/client";

type Json = Record<string, unknown>;

interface Snapshot {
  projects: Project[];
  sessions: SessionSummary[];
  loadedAt: number;
}

const CACHE_MS = 2_000;

/**
 * Read-only access to the legacy JSON storage.
 *
 * @example
 * ```ts
 * const store = new LegacyStore("/home/me/.local/share/opencode");
 * const { sessions } = store.listSessions(store.listProjects()[0].id);
 * ```
 */
export class LegacyStore implements DiscoveryStore {
  readonly kind = "legacy" as const;
  readonly dataDir: string;
  #root: string;
  #snapshot: Snapshot | undefined;
  #warned = new Set<string>();

  constructor(dataDir: string) {
    this.dataDir = dataDir;
    this.#root = join(dataDir, "storage");
  }

  listProjects(): Project[] {
    return this.#load().projects;
  }

  getProject(projectId: string): Project | undefined {
    return this.#load().projects.find((project) => project.id === projectId);
  }

  listSessions(projectId: string, options: ListSessionsOptions = {}) {
    const limit = Math.max(1, Math.min(options.limit ?? 50, 500));
    const offset = Math.max(0, options.offset ?? 0);
    const matching = this.#load().sessions.filter((session) =>
      session.projectID === projectId && session.parentID === null &&
      (options.archived || !session.archived)
    );
    return {
      sessions: matching.slice(offset, offset + limit),
      hasMore: matching.length > offset + limit,
    };
  }

  getSession(sessionId: string): SessionSummary | undefined {
    return this.#load().sessions.find((session) => session.id === sessionId);
  }

  listChildren(sessionId: string): SessionSummary[] {
    return this.#load().sessions.filter((session) => session.parentID === sessionId)
      .sort((a, b) => a.created - b.created || a.id.localeCompare(b.id));
  }

  listMessages(sessionId: string, options: { limit?: number } = {}): MessageWithParts[] {
    const infos = this.#sortedMessages(sessionId);
    const chosen = options.limit === undefined ? infos : infos.slice(-options.limit);
    return chosen.map((info) => ({
      info: { ...info, sessionID: sessionId } as Message,
      parts: this.#readDir(join(this.#root, "part", str(info.id)))
        .filter((part) => str(part.id) && str(part.type))
        .sort((a, b) => str(a.id).localeCompare(str(b.id))) as Part[],
    }));
  }

  countMessagesFrom(sessionId: string, messageId: string): number {
    const ids = this.#sortedMessages(sessionId).map((info) => str(info.id));
    const position = ids.indexOf(messageId);
    return position < 0 ? 0 : ids.length - position;
  }

  recentSessions(limit: number): SessionSummary[] {
    return [...this.#load().sessions].sort((a, b) => b.updated - a.updated).slice(0, limit);
  }

  /** A session's message files, oldest first. */
  #sortedMessages(sessionId: string): Json[] {
    return this.#readDir(join(this.#root, "message", sessionId))
      .filter((info) => str(info.id) && (info.role === "user" || info.role === "assistant"))
      .sort((a, b) =>
        num((a.time as Json)?.created) - num((b.time as Json)?.created) ||
        str(a.id).localeCompare(str(b.id))
      );
  }

  listPrompts(projectId: string, options: { limit?: number } = {}): string[] {
    const { sessions } = this.listSessions(projectId, { limit: PROMPT_SESSIONS });
    const messages = sessions.flatMap((session) => this.listMessages(session.id))
      .filter((message) => message.info.role === "user")
      .sort((a, b) =>
        num(b.info.time && (b.info.time as Json).created) -
        num(a.info.time && (a.info.time as Json).created)
      );
    const texts = messages.map((message) =>
      message.parts.flatMap((part) =>
        part.type === "text" && !part.synthetic ? [str(part.text)] : []
      )
        .join("\n")
    );
    return promptList(texts, options.limit ?? 100);
  }

  recentDirectories(sinceMs: number): string[] {
    const latest = new Map<string, number>();
    for (const session of this.#load().sessions) {
      if (session.updated >= sinceMs) {
        latest.set(
          session.directory,
          Math.max(latest.get(session.directory) ?? 0, session.updated),
        );
      }
    }
    return [...latest].sort((a, b) => b[1] - a[1]).map(([directory]) => directory);
  }

  close(): void {
    this.#snapshot = undefined;
  }

  #load(): Snapshot {
    if (this.#snapshot && Date.now() - this.#snapshot.loadedAt < CACHE_MS) return this.#snapshot;
    const sessions: SessionSummary[] = [];
    for (const projectDir of this.#listNames(join(this.#root, "session"))) {
      for (const data of this.#readDir(join(this.#root, "session", projectDir))) {
        const session = toSession(data, projectDir);
        if (session) sessions.push(session);
      }
    }
    const childCounts = new Map<string, number>();
    for (const session of sessions) {
      if (session.parentID) {
        childCounts.set(session.parentID, (childCounts.get(session.parentID) ?? 0) + 1);
      }
    }
    for (const session of sessions) session.childCount = childCounts.get(session.id) ?? 0;
    sessions.sort((a, b) => b.updated - a.updated || b.id.localeCompare(a.id));

    const totals = new Map<string, { sessions: number; last: number }>();
    for (const session of sessions) {
      const total = totals.get(session.projectID) ?? { sessions: 0, last: 0 };
      if (session.parentID === null && !session.archived) total.sessions++;
      total.last = Math.max(total.last, session.updated);
      totals.set(session.projectID, total);
    }
    const projects: Project[] = [];
    for (const data of this.#readDir(join(this.#root, "project"))) {
      const id = str(data.id);
      const worktree = str(data.worktree);
      if (!id || id === GLOBAL_PROJECT || !worktree) continue;
      const total = totals.get(id);
      projects.push({
        id,
        name: str(data.name) || baseName(worktree),
        worktree,
        vcs: str(data.vcs) || null,
        sessionCount: total?.sessions ?? 0,
        lastActivity: Math.max(num((data.time as Json)?.updated), total?.last ?? 0),
        sandboxes: sandboxList(data.sandboxes),
      });
    }
    for (const [id, total] of totals) {
      const directory = globalProjectDirectory(id);
      if (directory === undefined) continue;
      projects.push({
        id,
        name: baseName(directory),
        worktree: directory,
        vcs: null,
        sessionCount: total.sessions,
        lastActivity: total.last,
      });
    }
    projects.sort((a, b) => b.lastActivity - a.lastActivity || a.name.localeCompare(b.name));
    this.#snapshot = { projects, sessions, loadedAt: Date.now() };
    return this.#snapshot;
  }

  #listNames(dir: string): string[] {
    try {
      return [...Deno.readDirSync(dir)].filter((entry) => entry.isDirectory).map((entry) =>
        entry.name
      );
    } catch {
      return [];
    }
  }

  /** Every `*.json` object in a folder; corrupt files are skipped with one warning each. */
  #readDir(dir: string): Json[] {
    let entries: Deno.DirEntry[];
    try {
      entries = [...Deno.readDirSync(dir)];
    } catch {
      return [];
    }
    const items: Json[] = [];
    for (const entry of entries) {
      if (!entry.isFile || !entry.name.endsWith(".json")) continue;
      const path = join(dir, entry.name);
      try {
        const data = JSON.parse(Deno.readTextFileSync(path));
        if (!data || typeof data !== "object" || Array.isArray(data)) {
          throw new Error("not an object");
        }
        items.push(data);
      } catch (error) {
        if (!this.#warned.has(path)) {
          this.#warned.add(path);
          console.warn(`Skipping unreadable OpenCode file "${path}": ${(error as Error).message}`);
        }
      }
    }
    return items;
  }
}

function toSession(data: Json, projectDir: string): SessionSummary | undefined {
  const id = str(data.id);
  if (!id) return undefined;
  const projectId = str(data.projectID) || projectDir;
  const directory = str(data.directory);
  const time = (data.time ?? {}) as Json;
  const summary = (data.summary ?? {}) as Json;
  const revert = (data.revert ?? {}) as Json;
  return {
    id,
    projectID: projectId === GLOBAL_PROJECT ? globalProjectId(directory) : projectId,
    directory,
    title: str(data.title),
    parentID: str(data.parentID) || null,
    created: num(time.created),
    updated: num(time.updated) || num(time.created),
    archived: typeof time.archived === "number",
    childCount: 0,
    cost: num(data.cost),
    additions: num(summary.additions),
    deletions: num(summary.deletions),
    files: num(summary.files),
    ...(str(revert.messageID) ? { revertMessageID: str(revert.messageID) } : {}),
  };
}
