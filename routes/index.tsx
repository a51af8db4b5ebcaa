/**
 * `/`: every OpenCode project on this machine, newest activity first, under what is active now
 * and the `Open folder` form with the folders opened recently.
 * The page is the project list, so it has no sidebar repeating it. The list comes
 * {@linkcode PROJECTS_PER_PAGE} projects a page (`/?page=N`), so the page stays small however many
 * projects there are: `More projects` links to the next page (without JavaScript), and the
 * `MoreProjects` island appends it in place when the link is scrolled to or pressed.
 */

import { Hono } from "hono";
import type { AppServices } from "../lib/server/services.ts";
import { renderPage } from "./views/document.ts";
import { Shell } from "./views/layout.tsx";
import { ProjectCard, ProjectCardIcons } from "./views/lists.tsx";
import { liveContext } from "./views/live_context.ts";
import { OpenFolderBlock } from "./views/open_folder.tsx";
import { RecentFolders } from "../lib/server/folders/recent.ts";
import { LiveActivity, MoreProjects } from "../islands/mod.ts";
import { LocalMachine, RemoteMachines } from "./views/machines.tsx";
import { pageOf, pageParam } from "../lib/common/paging.ts";

/** Projects a page: what fills a tall screen a few times over. */
export const PROJECTS_PER_PAGE = 50;

/**
 * Project cards per block. A block wholly off screen skips style, layout and paint
 * (`content-visibility: auto` in `app.css`), so the first frame lays out about one block, however
 * many projects the machine has.
 */
const CARDS_PER_BLOCK = 20;

function blocks<T>(items: T[], size: number): T[][] {
  const result: T[][] = [];
  for (let start = 0; start < items.length; start += size) {
    result.push(items.slice(start, start + size));
  }
  return result;
}

export function indexRoutes(services: AppServices): Hono {
  const { discovery } = services;
  const recent = new RecentFolders(services.config.stateDir);
  const routes = new Hono();
  routes.get("/", (c) => {
    const all = discovery.listProjects();
    const page = pageOf(all, pageParam(c.req.query("page")), PROJECTS_PER_PAGE);
    const projects = page.items;
    const live = liveContext(services);
    const remotes = services.remotes?.list() ?? [];
    return renderPage(
      <Shell live={live}>
        <h1>Projects</h1>
        {services.providerSetup?.needed() && (
          <p class="setup-note" role="note">
            <strong>Connect a model provider to start.</strong>{" "}
            OpenCode has no provider of yours yet: only OpenCode Zen's free models, which need the
            internet and may be busy. Add a key for Anthropic, OpenAI or another provider in{" "}
            <a href="/settings">Settings</a>.
          </p>
        )}
        {discovery.apiFallback && (
          <p class="setup-note" role="note" data-api-fallback>{discovery.apiFallback}</p>
        )}
        <LiveActivity initial={live.activity} worktrees={live.worktrees} />
        <OpenFolderBlock recent={recent.list()} />
        <LocalMachine others={remotes.length}>
          {discovery.kind === "missing"
            ? (
              <div class="empty">
                <p>
                  No OpenCode data was found in <code>{discovery.dataDir}</code>.
                </p>
                <p>
                  Run <code>opencode</code> in a project once, or start Palot with{" "}
                  <code>--data-dir DIR</code> pointing at OpenCode's data folder (the one holding
                  {" "}
                  <code>opencode.db</code>).
                </p>
              </div>
            )
            : projects.length === 0
            ? (
              <p class="empty">
                OpenCode has no projects yet. Open a folder above to start one, or run{" "}
                <code>opencode</code> in a project folder.
              </p>
            )
            : (
              <>
                <ProjectCardIcons />
                {page.pages > 1 && (
                  <p class="muted project-count">
                    {all.length.toLocaleString("en")} projects · page {page.page} of {page.pages}
                  </p>
                )}
                <div id="project-list" class="project-list" role="list">
                  {blocks(projects, CARDS_PER_BLOCK).map((block) => (
                    <div key={block[0].id} class="project-block">
                      {block.map((project) => (
                        <ProjectCard key={project.id} project={project} activity={live.activity} />
                      ))}
                    </div>
                  ))}
                </div>
                {(page.hasMore || page.page > 1) && (
                  <nav class="pager" aria-label="Pages">
                    {page.page > 1 && (
                      <a href={page.page === 2 ? "/" : `/?page=${page.page - 1}`}>
                        Previous projects
                      </a>
                    )}
                    {page.hasMore && <MoreProjects href={`/?page=${page.page + 1}`} />}
                  </nav>
                )}
              </>
            )}
        </LocalMachine>
        {page.page === 1 && <RemoteMachines servers={remotes} activity={live.activity} />}
      </Shell>,
      { title: "Projects · Palot", eventId: live.eventId },
    );
  });
  return routes;
}
