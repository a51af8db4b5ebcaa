/**
 * `/worktree/*`: what a session in a git worktree can do with it. `GET /worktree/merge?session=`
 * confirms a merge (the files and lines coming in), `POST` runs it; `GET /worktree/delete?session=`
 * confirms a deletion (warning about uncommitted or unmerged work), `POST` runs it; `POST
 * /worktree/forget?project=` prunes a worktree whose folder was deleted by hand. Merge and delete
 * are refused while a session in the worktree is working. Plain same-origin forms, so the edge's
 * token and Origin checks apply as to every other write.
 */

import { Hono } from "hono";
import type { Context } from "hono";
import type { VNode } from "preact";
import type { AppServices } from "../lib/server/services.ts";
import type { Project, SessionSummary } from "../lib/common/discovery_types.ts";
import type { MergePreview } from "../lib/server/worktrees/merge.ts";
import { OpencodeApiError } from "../lib/server/opencode/opencode_api.ts";
import { GitError } from "../lib/server/worktrees/git.ts";
import { MergeRefusedError, mergeWorktree, previewMerge } from "../lib/server/worktrees/merge.ts";
import { MergeBusyError } from "../lib/server/worktrees/merge_lock.ts";
import { removeWorktree } from "../lib/server/worktrees/remove.ts";
import { sessionPlace } from "../lib/server/worktrees/session_worktree.ts";
import { worktreeState } from "../lib/server/worktrees/state.ts";
import { renderPage } from "./views/document.ts";
import { Shell } from "./views/layout.tsx";
import { liveContext, workingIn } from "./views/live_context.ts";
import { projectSidebar } from "./views/sidebar.tsx";
import { DeleteConfirmation, MergeConfirmation, worktreeActionHref } from "./views/worktrees.tsx";

/** Said to a request for the worktree of a session that has none. */
export const NO_WORKTREE =
  "This session works in the project's own checkout: it has no worktree to merge or delete.";

/** Said on the page of a session whose worktree is gone. */
export const WORKTREE_GONE =
  "Its worktree is gone, so this session cannot continue: start a new session to go on.";

const STOP_FIRST =
  "A session in this worktree is working: stop it first (Stop on its page), then try again.";

/** An error a worktree action can show the user, or `undefined` for a bug to rethrow. */
function shownError(error: unknown): string | undefined {
  if (
    error instanceof MergeRefusedError || error instanceof MergeBusyError ||
    error instanceof GitError || error instanceof OpencodeApiError
  ) return error.message;
  return undefined;
}

/** A session in a worktree that is there: what a worktree action works on. */
export interface WorktreeTarget {
  session: SessionSummary;
  project: Project;
  /** The worktree's folder. */
  directory: string;
}

/** The state a Delete worktree confirmation shows. */
export type DeleteState = Parameters<typeof DeleteConfirmation>[0]["state"];

/**
 * What the worktree routes need of one machine: this one (git run by Palot) or another (its
 * OpenCode server's API); see {@linkcode worktreeActionRoutes}.
 */
export interface WorktreeMachine<T extends WorktreeTarget = WorktreeTarget> {
  /** The session named by the request's `?session=`, or an answer saying why there is none. */
  target(c: Context): T | Response;
  /** The address of one of that machine's pages (`/session/…`, `/worktree/…`). */
  href(target: T, path: string): string;
  /** A page of that machine around `body` (its sidebar and crumbs). */
  page(target: T, body: VNode, title: string, status: 200 | 409): Response;
  /** Whether a session works in the worktree now (Merge and Delete then wait). */
  working(target: T): boolean;
  preview(target: T, title: string): Promise<MergePreview>;
  /** Runs the merge; resolves with the branch it went into. */
  merge(target: T, title: string): Promise<string>;
  state(target: T): Promise<DeleteState>;
  remove(target: T): Promise<void>;
}

/**
 * `GET`/`POST` `/merge?session=` and `/delete?session=` for the worktrees of one machine: the
 * confirmations, then the actions, refused while a session in the worktree is working.
 */
export function worktreeActionRoutes<T extends WorktreeTarget>(machine: WorktreeMachine<T>): Hono {
  const sessionPage = (target: T) =>
    machine.href(target, `/session/${encodeURIComponent(target.session.id)}`);
  const titleOf = (target: WorktreeTarget) => target.session.title || "Palot: worktree changes";

  const mergePage = async (c: Context, error?: string) => {
    const found = machine.target(c);
    if (found instanceof Response) return found;
    const preview = await machine.preview(found, titleOf(found));
    const busy = machine.working(found) ? STOP_FIRST : undefined;
    return machine.page(
      found,
      <MergeConfirmation
        preview={preview}
        title={titleOf(found)}
        action={machine.href(found, worktreeActionHref("merge", found.session.id))}
        back={sessionPage(found)}
        error={error ?? busy}
      />,
      "Merge",
      error || busy || preview.refusal ? 409 : 200,
    );
  };

  const deletePage = async (c: Context, error?: string) => {
    const found = machine.target(c);
    if (found instanceof Response) return found;
    return machine.page(
      found,
      <DeleteConfirmation
        state={await machine.state(found)}
        action={machine.href(found, worktreeActionHref("delete", found.session.id))}
        back={sessionPage(found)}
        error={error ?? (machine.working(found) ? STOP_FIRST : undefined)}
      />,
      "Delete worktree",
      error ? 409 : 200,
    );
  };

  const routes = new Hono();
  routes.get("/merge", (c) => mergePage(c));
  routes.post("/merge", async (c) => {
    const found = machine.target(c);
    if (found instanceof Response) return found;
    if (machine.working(found)) return mergePage(c, STOP_FIRST);
    try {
      const base = await machine.merge(found, titleOf(found));
      return c.redirect(`${sessionPage(found)}?merged=${encodeURIComponent(base)}`, 303);
    } catch (error) {
      const message = shownError(error);
      if (message === undefined) throw error;
      return mergePage(c, message);
    }
  });
  routes.get("/delete", (c) => deletePage(c));
  routes.post("/delete", async (c) => {
    const found = machine.target(c);
    if (found instanceof Response) return found;
    if (machine.working(found)) return deletePage(c, STOP_FIRST);
    try {
      await machine.remove(found);
    } catch (error) {
      const message = shownError(error);
      if (message === undefined) throw error;
      return deletePage(c, `Could not delete the worktree: ${message}`);
    }
    return c.redirect(sessionPage(found), 303);
  });
  return routes;
}

/** This machine's worktree actions (`/worktree/*`), `/forget` included. */
export function worktreeRoutes(services: AppServices): Hono {
  const { discovery } = services;
  const routes = worktreeActionRoutes({
    href: (_found, path) => path,
    target(c) {
      const session = discovery.getSession(c.req.query("session") ?? "");
      if (!session) return c.text("No such session", 404);
      const project = discovery.getProject(session.projectID);
      const place = sessionPlace(project, session.directory, discovery.dataDir);
      // Already gone (a second click, another tab): its page says so.
      if (place.kind === "deleted" || (place.kind === "worktree" && !place.present)) {
        return c.redirect(`/session/${encodeURIComponent(session.id)}`, 303);
      }
      if (!project || place.kind !== "worktree") return c.text(NO_WORKTREE, 404);
      return { session, project, directory: place.directory };
    },
    page(found, body, title, status) {
      const live = liveContext(services);
      return renderPage(
        <Shell
          live={live}
          sidebar={projectSidebar(discovery, live, found.project, {
            currentSessionId: found.session.id,
          })}
        >
          <p class="muted breadcrumbs">
            <a href={`/project/${encodeURIComponent(found.project.id)}`}>{found.project.name}</a>
            {" · "}
            <a href={`/session/${encodeURIComponent(found.session.id)}`}>
              {found.session.title || "Untitled session"}
            </a>
          </p>
          {body}
        </Shell>,
        { title: `${title} · Palot`, eventId: live.eventId, status },
      );
    },
    working: (found) => workingIn(services, found.directory).length > 0,
    preview: (found, title) => previewMerge(found.project.worktree, found.directory, title),
    merge: async (found, title) =>
      (await mergeWorktree(found.project.worktree, found.directory, title)).base,
    state: (found) => worktreeState(found.directory, found.project.worktree),
    remove: (found) => removeWorktree(services.supervisor, found.project.worktree, found.directory),
  });
  routes.post("/forget", async (c) => {
    const project = discovery.getProject(c.req.query("project") ?? "");
    if (!project) return c.notFound();
    const form = await c.req.parseBody();
    const directory = typeof form.directory === "string" ? form.directory : "";
    const base = `/project/${encodeURIComponent(project.id)}`;
    const place = sessionPlace(project, directory, discovery.dataDir);
    if (place.kind !== "worktree") {
      return c.redirect(
        `${base}?worktree-error=${encodeURIComponent("No such worktree")}#worktrees`,
        303,
      );
    }
    if (place.present) {
      const message = "Its folder is there: open one of its sessions to merge or delete it.";
      return c.redirect(`${base}?worktree-error=${encodeURIComponent(message)}#worktrees`, 303);
    }
    try {
      await removeWorktree(services.supervisor, project.worktree, directory);
    } catch (error) {
      const message = shownError(error);
      if (message === undefined) throw error;
      return c.redirect(
        `${base}?worktree-error=${encodeURIComponent(`Could not forget it: ${message}`)}#worktrees`,
        303,
      );
    }
    return c.redirect(`${base}#worktrees`, 303);
  });
  return routes;
}
