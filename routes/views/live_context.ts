/**
 * What every server-rendered page needs from the live layer on first paint: whether OpenCode's
 * event stream is connected, the last event id (so the tab's stream resumes right after the
 * page), the sessions active now across all projects of every machine, and the status of any
 * session.
 */

import type { AppServices } from "../../lib/server/services.ts";
import type { ActivityItem, SidebarSession } from "../../islands/mod.ts";
import type { SessionSummary } from "../../lib/common/discovery_types.ts";
import type { WorktreeLabels } from "../../lib/common/worktree_labels.ts";
import { worktreeBranch } from "../../lib/server/worktrees/branch.ts";
import type { StatusIndex } from "../../lib/server/events/status_index.ts";

/** What a status index knows of each session now. */
type StatusSnapshot = ReturnType<StatusIndex["snapshot"]>;

export interface LiveContext {
  connected: boolean;
  /** `<epoch>:<id>` of the last event before this page, or empty without a live layer. */
  eventId: string;
  activity: ActivityItem[];
  /** Every project's worktree folders, with the project's name and the branch. */
  worktrees: WorktreeLabels;
  /** A discovery summary as a sidebar row with its live status. */
  sidebarRow(session: SessionSummary): SidebarSession;
  /** The live status of a session and the pending requests of it and of `alsoFrom` (its children). */
  sessionState(sessionId: string, alsoFrom?: string[]): {
    status: SidebarSession["status"];
    permissions: ActivityItem["permissions"];
    questions: ActivityItem["questions"];
  };
}

/**
 * Reads the live layer for one page render.
 *
 * @example
 * ```ts
 * const live = liveContext(services);
 * return renderPage(<Shell live={live}>…</Shell>, { title, eventId: live.eventId });
 * ```
 */
export function liveContext({ live, discovery, remotes }: AppServices): LiveContext {
  const snapshot = live?.index.snapshot() ?? {};
  const activity: ActivityItem[] = [];
  const add = (
    states: StatusSnapshot,
    summaryOf: (id: string) => { title: string; parentID: string | null } | undefined,
    server?: string,
  ) => {
    for (const [id, state] of Object.entries(states)) {
      const summary = summaryOf(id);
      activity.push({
        id,
        ...server ? { server } : {},
        directory: state.directory,
        title: summary?.title ?? "",
        parentID: summary?.parentID ?? undefined,
        status: state.status ?? "idle",
        permissions: state.permissions,
        questions: state.questions,
        doing: state.doing,
      });
    }
  };
  add(snapshot, (id) => discovery.getSession(id));
  // Other machines' sessions count in `Active now` and the tab's `(N)` as this machine's do.
  for (const server of remotes?.list() ?? []) {
    add(server.index.snapshot(), (id) => server.catalog.getSession(id), server.id);
  }
  const worktrees: WorktreeLabels = {};
  for (const project of discovery.listProjects()) {
    for (const folder of project.sandboxes ?? []) {
      worktrees[folder] = { project: project.name, branch: worktreeBranch(folder) };
    }
  }
  return {
    connected: live?.connected ?? false,
    eventId: live ? `${live.hub.epoch}:${live.hub.lastId}` : "",
    activity,
    worktrees,
    ...sessionReaders(snapshot),
  };
}

/**
 * A page's readers of its sessions' live state, from a machine's status index: this machine's, or
 * another's for that machine's pages.
 */
export function sessionReaders(
  snapshot: StatusSnapshot,
): Pick<LiveContext, "sessionState" | "sidebarRow"> {
  return {
    sessionState: (sessionId, alsoFrom = []) => {
      const states = [sessionId, ...alsoFrom].map((id) => snapshot[id]).filter((state) => state);
      return {
        status: snapshot[sessionId]?.status ?? "idle",
        permissions: states.flatMap((state) => state.permissions),
        questions: states.flatMap((state) => state.questions),
      };
    },
    sidebarRow: (session) => {
      const state = snapshot[session.id];
      return {
        id: session.id,
        directory: session.directory,
        title: session.title,
        updated: session.updated,
        facts: {
          files: session.files,
          additions: session.additions,
          deletions: session.deletions,
          cost: session.cost,
          updated: session.updated,
        },
        status: state?.status ?? "idle",
        waiting: (state?.permissions.length ?? 0) + (state?.questions.length ?? 0),
        doing: state?.doing,
      };
    },
  };
}

/** Sessions working now in `directory` (busy or retrying). */
export function workingIn(services: AppServices, directory: string): string[] {
  return services.live?.index.workingIn(directory) ?? [];
}

/** A context with nothing live, for pages rendered when the live layer itself failed. */
export function emptyLiveContext(): LiveContext {
  return {
    connected: false,
    eventId: "",
    activity: [],
    worktrees: {},
    sessionState: () => ({ status: "idle", permissions: [], questions: [] }),
    sidebarRow: (session) => ({ ...session, status: "idle", waiting: 0 }),
  };
}
