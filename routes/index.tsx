/**
 * `/`: every OpenCode project on this machine, newest activity first, under what is active now.
 * The page is the project list, so it has no sidebar repeating it.
 */

import { Hono } from "hono";
import type { AppServices } from "../lib/app.ts";
import { renderPage } from "../lib/ui/document.ts";
import { plural } from "../lib/ui/format.ts";
import { Shell } from "../lib/ui/layout.tsx";
import { liveContext } from "../lib/ui/live_context.ts";
import { LiveActivity } from "../lib/ui/sidebar.tsx";
import { Time } from "../lib/ui/time.tsx";

export function indexRoutes(services: AppServices): Hono {
  const { discovery } = services;
  const routes = new Hono();
  routes.get("/", () => {
    const projects = discovery.listProjects();
    const live = liveContext(services);
    return renderPage(
      <Shell live={live}>
        <h1>Projects</h1>
        <LiveActivity initial={live.activity} />
        {discovery.kind === "missing"
          ? (
            <div class="empty">
              <p>
                No OpenCode data was found in <code>{discovery.dataDir}</code>.
              </p>
              <p>
                Run <code>opencode</code> in a project once, or start Palot with{" "}
                <code>--data-dir DIR</code> pointing at OpenCode's data folder (the one holding{" "}
                <code>opencode.db</code>).
              </p>
            </div>
          )
          : projects.length === 0
          ? (
            <p class="empty">
              OpenCode has no projects yet. Run <code>opencode</code> in a project folder.
            </p>
          )
          : (
            <ul class="project-list">
              {projects.map((project) => (
                <li key={project.id} class="project-card">
                  <a class="project-name" href={`/project/${encodeURIComponent(project.id)}`}>
                    {project.name}
                  </a>
                  <span class="project-path">{project.worktree}</span>
                  <span class="project-meta">
                    {plural(project.sessionCount, "session")} · last activity{" "}
                    <Time at={project.lastActivity} />
                  </span>
                </li>
              ))}
            </ul>
          )}
      </Shell>,
      { title: "Projects · Palot", eventId: live.eventId },
    );
  });
  return routes;
}
