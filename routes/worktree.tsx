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

export function worktreeRoutes(services: AppServices): Hono {
  const { discovery } = services;

  /** The session, its project and its worktree folder (present), or an answer saying why not. */
  const target = (c: Context) => {
    const session = discovery.getSession(c.req.query("session") ?? "");
    if (!session) return c.text("No such session", 404);
    const project = discovery.getProject(session.projectID);
    const place = sessionPlace(project, session.directory, discovery.dataDir);
    // Already gone (a second click, another tab): its page says so.
    if (place.kind === "deleted" || (place.kind === "worktree" && !place.present)) {
      return c.redirect(`/session/${encodeURIComponent(session.id)}`, 303);
    }
    if (!project || place.kind !== "worktree") {
      return c.text(
        "This session works in the project's own checkout: it has no worktree to merge or delete.",
        404,
      );
    }
    return { session, project, directory: place.directory };
  };

  const page = (
    found: Exclude<ReturnType<typeof target>, Response>,
    body: VNode,
    title: string,
    status: 200 | 409 = 200,
  ) => {
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
  };

  const mergePage = async (c: Context, error?: string) => {
    const found = target(c);
    if (found instanceof Response) return found;
    const title = found.session.title || "Palot: worktree changes";
    const preview = await previewMerge(found.project.worktree, found.directory, title);
    const busy = workingIn(services, found.directory).length > 0 ? STOP_FIRST : undefined;
    return page(
      found,
      <MergeConfirmation
        preview={preview}
        title={title}
        action={worktreeActionHref("merge", found.session.id)}
        back={`/session/${encodeURIComponent(found.session.id)}`}
        error={error ?? busy}
      />,
      "Merge",
      error || busy || preview.refusal ? 409 : 200,
    );
  };

  const deletePage = async (c: Context, error?: string) => {
    const found = target(c);
    if (found instanceof Response) return found;
    const state = await worktreeState(found.directory, found.project.worktree);
    return page(
      found,
      <DeleteConfirmation
        state={state}
        action={worktreeActionHref("delete", found.session.id)}
        back={`/session/${encodeURIComponent(found.session.id)}`}
        error={error ??
          (workingIn(services, found.directory).length > 0 ? STOP_FIRST : undefined)}
      />,
      "Delete worktree",
      error ? 409 : 200,
    );
  };

  const routes = new Hono();
  routes.get("/merge", (c) => mergePage(c));
  routes.post("/merge", async (c) => {
    const found = target(c);
    if (found instanceof Response) return found;
    if (workingIn(services, found.directory).length > 0) return mergePage(c, STOP_FIRST);
    try {
      const result = await mergeWorktree(
        found.project.worktree,
        found.directory,
        found.session.title || "Palot: worktree changes",
      );
      return c.redirect(
        `/session/${encodeURIComponent(found.session.id)}?merged=${
          encodeURIComponent(result.base)
        }`,
        303,
      );
    } catch (error) {
      const message = shownError(error);
      if (message === undefined) throw error;
      return mergePage(c, message);
    }
  });
  routes.get("/delete", (c) => deletePage(c));
  routes.post("/delete", async (c) => {
    const found = target(c);
    if (found instanceof Response) return found;
    if (workingIn(services, found.directory).length > 0) return deletePage(c, STOP_FIRST);
    try {
      await removeWorktree(services.supervisor, found.project.worktree, found.directory);
    } catch (error) {
      const message = shownError(error);
      if (message === undefined) throw error;
      return deletePage(c, `Could not delete the worktree: ${message}`);
    }
    return c.redirect(`/session/${encodeURIComponent(found.session.id)}`, 303);
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
