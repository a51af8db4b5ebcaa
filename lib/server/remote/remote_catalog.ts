/**
 * What Palot knows of a remote server's projects and sessions, in memory: read whole through its
 * API (`GET /project`, and every session by `GET /experimental/session`, paged by its
 * `x-next-cursor` until the end: no cap) when its event stream (re)connects, then kept current from
 * its events (`session.created`, `session.updated`, `session.deleted`, `project.updated`). Pages read
 * it without waiting on the server; it is the same shape discovery gives for the local machine.
 */

import {
  baseName,
  type ChangeFigures,
  GLOBAL_PROJECT,
  globalProjectId,
  type Project,
  type SessionSummary,
} from "../../common/discovery_types.ts";
import type { HubEvent } from "../../common/hub_event.ts";

/** OpenCode's project as its API answers it (the part read). */
export interface ApiProject {
  id: string;
  worktree: string;
  vcs?: string;
  name?: string;
  time?: { created?: number; updated?: number };
  sandboxes?: string[];
}

/** OpenCode's session as its API answers it (the part read). */
export interface ApiSession {
  id: string;
  projectID: string;
  directory: string;
  title?: string;
  parentID?: string;
  time: { created: number; updated: number; archived?: number };
  cost?: number;
  summary?: { additions?: number; deletions?: number; files?: number };
  revert?: { messageID?: string };
}

/** Sessions asked for per page. */
export const SESSION_PAGE = 500;

/** Reads one API path as JSON, with its response headers (the caller sets the timeout). */
export type ApiGet = (path: string) => Promise<{ body: unknown; headers: Headers }>;

export class RemoteCatalog {
  #projects = new Map<string, ApiProject>();
  #sessions = new Map<string, ApiSession>();
  /** Whether a full read has completed once. */
  loaded = false;

  /**
   * Figures counted from messages (see `remote_figures.ts`), with the Undo in effect when they
   * were counted: pages render them until they are counted again (an Undo or Redo sets them
   * aside at once).
   */
  #figures = new Map<string, { figures: ChangeFigures; revert?: string }>();

  /** Events that arrived while a read was under way: applied again over its result. */
  #during: HubEvent[] | undefined;

  /**
   * Reads every project and session again, replacing what was known (events that arrive meanwhile
   * are applied over the result, so a session created during the read is not lost).
   */
  async load(get: ApiGet): Promise<void> {
    this.#during = [];
    try {
      await this.#load(get);
    } finally {
      const during = this.#during;
      this.#during = undefined;
      for (const event of during) this.apply(event);
    }
  }

  async #load(get: ApiGet): Promise<void> {
    const projects = (await get("/project")).body as ApiProject[];
    const sessions: ApiSession[] = [];
    let cursor: string | null = null;
    do {
      const query = `limit=${SESSION_PAGE}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`;
      const page = await get(`/experimental/session?${query}`);
      const batch = page.body as ApiSession[];
      sessions.push(...batch);
      const next = page.headers.get("x-next-cursor");
      cursor = batch.length > 0 && next && next !== cursor ? next : null;
    } while (cursor);
    this.#projects = new Map(projects.map((project) => [project.id, project]));
    this.#sessions = new Map(sessions.map((session) => [session.id, session]));
    this.loaded = true;
  }

  /** Applies one of the server's events (those that change projects or sessions). */
  apply(event: HubEvent): void {
    this.#during?.push(event);
    const { type, properties } = event.payload;
    const info = (properties as { info?: unknown } | undefined)?.info;
    if ((type === "session.created" || type === "session.updated") && isSession(info)) {
      this.#sessions.set(info.id, info);
    } else if (type === "session.deleted" && isSession(info)) {
      this.#sessions.delete(info.id);
    } else if (type === "project.updated") {
      const project = (properties ?? {}) as ApiProject;
      if (typeof project.id === "string" && typeof project.worktree === "string") {
        this.#projects.set(project.id, project);
      }
    }
  }

  /** Every project, newest activity first (a folder of `global` as a project of its own). */
  listProjects(): Project[] {
    const byId = new Map<string, Project>();
    for (const project of this.#projects.values()) {
      if (project.id === GLOBAL_PROJECT) continue;
      byId.set(project.id, {
        id: project.id,
        name: project.name || baseName(project.worktree),
        worktree: project.worktree,
        vcs: project.vcs ?? null,
        sessionCount: 0,
        lastActivity: project.time?.updated ?? project.time?.created ?? 0,
        sandboxes: project.sandboxes ?? [],
      });
    }
    for (const session of this.#sessions.values()) {
      if (session.time.archived) continue;
      const id = this.projectIdOf(session);
      let project = byId.get(id);
      if (!project) {
        project = {
          id,
          name: baseName(session.directory),
          worktree: session.directory,
          vcs: null,
          sessionCount: 0,
          lastActivity: 0,
        };
        byId.set(id, project);
      }
      if (!session.parentID) project.sessionCount++;
      project.lastActivity = Math.max(project.lastActivity, session.time.updated);
    }
    return [...byId.values()].sort((a, b) => b.lastActivity - a.lastActivity);
  }

  getProject(projectId: string): Project | undefined {
    return this.listProjects().find((project) => project.id === projectId);
  }

  /** A project's root sessions, newest first. */
  listSessions(projectId: string): SessionSummary[] {
    const children = this.#childCounts();
    return [...this.#sessions.values()]
      .filter((session) =>
        !session.parentID && !session.time.archived && this.projectIdOf(session) === projectId
      )
      .sort((a, b) => b.time.updated - a.time.updated)
      .map((session) => this.#summary(session, children));
  }

  /**
   * Every session's id, folder and last update, sub-agents' and archived ones too, in no order:
   * what the message index compares, without building each session's summary.
   */
  sessionStamps(): { id: string; directory: string; updated: number }[] {
    return [...this.#sessions.values()].map(({ id, directory, time }) => ({
      id,
      directory,
      updated: time.updated,
    }));
  }

  getSession(sessionId: string): SessionSummary | undefined {
    const session = this.#sessions.get(sessionId);
    return session && this.#summary(session, this.#childCounts());
  }

  /** Sub-agent sessions of a session, oldest first. */
  listChildren(sessionId: string): SessionSummary[] {
    return [...this.#sessions.values()]
      .filter((session) => session.parentID === sessionId)
      .sort((a, b) => a.time.created - b.time.created)
      .map((session) => this.#summary(session, new Map()));
  }

  /**
   * Whether a session's figures must be counted from its messages: OpenCode's are zero (they stay
   * so after a turn) or count an Undo's changes.
   */
  needsFigures(sessionId: string): boolean {
    const session = this.#sessions.get(sessionId);
    return session !== undefined && needsCounting(session);
  }

  /** Keeps figures counted for a session as it is now. */
  setFigures(sessionId: string, figures: ChangeFigures): void {
    const session = this.#sessions.get(sessionId);
    if (!session) return;
    this.#figures.set(sessionId, { figures, revert: session.revert?.messageID });
  }

  /** The figures last counted for `session` when they are needed, with the Undo in effect now. */
  #counted(session: ApiSession): ChangeFigures | undefined {
    const counted = this.#figures.get(session.id);
    return counted && needsCounting(session) && counted.revert === session.revert?.messageID
      ? counted.figures
      : undefined;
  }

  /** Palot's id of a session's project (a `global` folder is a project of its own). */
  projectIdOf(session: Pick<ApiSession, "projectID" | "directory">): string {
    return session.projectID === GLOBAL_PROJECT
      ? globalProjectId(session.directory)
      : session.projectID;
  }

  /** How many sub-agent sessions each session has. */
  #childCounts(): Map<string, number> {
    const counts = new Map<string, number>();
    for (const { parentID } of this.#sessions.values()) {
      if (parentID) counts.set(parentID, (counts.get(parentID) ?? 0) + 1);
    }
    return counts;
  }

  #summary(session: ApiSession, children: Map<string, number>): SessionSummary {
    const counted = this.#counted(session);
    return {
      id: session.id,
      projectID: this.projectIdOf(session),
      directory: session.directory,
      title: session.title ?? "",
      parentID: session.parentID ?? null,
      created: session.time.created,
      updated: session.time.updated,
      archived: Boolean(session.time.archived),
      childCount: children.get(session.id) ?? 0,
      cost: session.cost ?? 0,
      additions: counted?.additions ?? session.summary?.additions ?? 0,
      deletions: counted?.deletions ?? session.summary?.deletions ?? 0,
      files: counted?.files ?? session.summary?.files ?? 0,
      revertMessageID: session.revert?.messageID,
    };
  }
}

/** OpenCode's own figures of `session` are zero (after a turn) or count an Undo's changes. */
function needsCounting(session: ApiSession): boolean {
  return !session.summary?.files || session.revert?.messageID !== undefined;
}

function isSession(value: unknown): value is ApiSession {
  const session = value as ApiSession | undefined;
  return typeof session?.id === "string" && typeof session.directory === "string" &&
    typeof session.time?.updated === "number";
}
