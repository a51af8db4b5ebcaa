/**
 * `/project/:projectId`: a project's root sessions, newest first, 50 a page, and the terminals still
 * running in its folder (each pins its OpenCode instance) with `End` for each
 * (`POST /project/:projectId/terminals/:ptyId/end`).
 */

import { Hono } from "hono";
import { opencodeApi, OpencodeApiError } from "../lib/server/opencode/opencode_api.ts";
import type { AppServices } from "../lib/server/services.ts";
import type { Project } from "../lib/common/discovery_types.ts";
import { renderPage } from "./views/document.ts";
import { NewSession } from "./views/new_session.tsx";
import { RunningTerminalsSection } from "./views/running_terminals.tsx";
import { plural } from "../lib/client/ui/format.ts";
import { Shell } from "./views/layout.tsx";
import { ProjectHead, SessionRow } from "./views/lists.tsx";
import { liveContext, workingIn } from "./views/live_context.ts";
import { projectSidebar } from "./views/sidebar.tsx";
import { type WorktreeRow, WorktreesSection } from "./views/worktrees.tsx";
import { worktreeState } from "../lib/server/worktrees/state.ts";

export const PAGE_SIZE = 50;

/** A positive page number from `?page=`, 1 when missing or not a number. */
function pageNumber(value: string | undefined): number {
  const page = Number(value);
  return Number.isInteger(page) && page > 0 && page < 1_000_000 ? page : 1;
}

export function projectRoutes(services: AppServices): Hono {
  const { discovery } = services;
  const routes = new Hono();
  /** The project's worktrees, each with its state and its sessions (a few git reads each). */
  const worktreeRows = async (project: Project): Promise<WorktreeRow[]> => {
    const sandboxes = project.sandboxes ?? [];
    if (sandboxes.length === 0) return [];
    const all = discovery.listSessions(project.id, { limit: 1000 }).sessions;
    return await Promise.all(sandboxes.map(async (directory) => ({
      state: await worktreeState(directory, project.worktree),
      sessions: all.filter((session) => session.directory === directory),
      working: workingIn(services, directory).length > 0,
    })));
  };
  routes.get("/:projectId", async (c) => {
    const project = discovery.getProject(c.req.param("projectId"));
    if (!project) return c.notFound();
    const page = pageNumber(c.req.query("page"));
    const archived = c.req.query("archived") === "1";
    const { sessions, hasMore } = discovery.listSessions(project.id, {
      limit: PAGE_SIZE,
      offset: (page - 1) * PAGE_SIZE,
      archived,
    });
    const latest = page === 1 && !archived
      ? sessions
      : discovery.listSessions(project.id, { limit: PAGE_SIZE }).sessions;
    const base = `/project/${encodeURIComponent(project.id)}`;
    const query = (next: number) => `${base}?${archived ? "archived=1&" : ""}page=${next}`;
    const live = liveContext(services);
    return renderPage(
      <Shell
        live={live}
        sidebar={projectSidebar(discovery, live, project, { sessions: latest })}
      >
        <ProjectHead project={project} newHref={`${base}/new`} />
        <p class="muted">
          {plural(project.sessionCount, "session")} ·{" "}
          {archived
            ? <a href={base}>Hide archived</a>
            : <a href={`${base}?archived=1`}>Show archived</a>}
        </p>
        {sessions.length === 0
          ? (
            <p class="empty">
              {page === 1 ? "No sessions yet. Start one with New session." : "No more sessions."}
            </p>
          )
          : (
            <ul class="session-list">
              {sessions.map((session) => (
                <SessionRow key={session.id} session={session} live={live.sidebarRow(session)} />
              ))}
            </ul>
          )}
        <nav class="pager" aria-label="Pages">
          {page > 1 && <a href={query(page - 1)}>Newer</a>}
          {hasMore && <a href={query(page + 1)}>More</a>}
        </nav>
        <WorktreesSection
          rows={await worktreeRows(project)}
          forgetAction={`/worktree/forget?project=${encodeURIComponent(project.id)}`}
          problem={c.req.query("worktree-error")}
        />
        <RunningTerminalsSection
          base={base}
          terminals={services.instances?.terminals.list(project.worktree) ?? []}
          problem={c.req.query("terminal-error")}
        />
      </Shell>,
      { title: `${project.name} · Palot`, eventId: live.eventId },
    );
  });
  routes.post("/:projectId/terminals/:ptyId/end", async (c) => {
    const project = discovery.getProject(c.req.param("projectId"));
    if (!project) return c.notFound();
    const base = `/project/${encodeURIComponent(project.id)}`;
    try {
      await opencodeApi(services.supervisor, `/pty/${encodeURIComponent(c.req.param("ptyId"))}`, {
        method: "DELETE",
        directory: project.worktree,
      });
    } catch (error) {
      // Already gone is what was asked.
      if (!(error instanceof OpencodeApiError && error.status === 404)) {
        const message = `Could not end the terminal: ${(error as Error).message}`;
        return c.redirect(`${base}?terminal-error=${encodeURIComponent(message)}#terminals`, 303);
      }
    }
    services.instances?.terminals.forgetTerminal(c.req.param("ptyId"));
    return c.redirect(`${base}#terminals`, 303);
  });
  routes.get("/:projectId/new", (c) => {
    const project = discovery.getProject(c.req.param("projectId"));
    if (!project) return c.notFound();
    const live = liveContext(services);
    return renderPage(
      <Shell
        live={live}
        sidebar={projectSidebar(discovery, live, project)}
      >
        <NewSession
          project={project}
          toolbar={services.toolbars?.visit(project.worktree)}
          crumbs={
            <p class="muted breadcrumbs">
              <a href={`/project/${encodeURIComponent(project.id)}`}>{project.name}</a>
            </p>
          }
        />
      </Shell>,
      { title: `New session · ${project.name} · Palot`, eventId: live.eventId, frame: true },
    );
  });
  return routes;
}
