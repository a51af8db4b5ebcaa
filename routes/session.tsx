/** `/session/:sessionId`: a session's title, project and messages, read from disk. */

import { Hono } from "hono";
import type { AppServices } from "../lib/app.ts";
import { renderPage } from "../lib/ui/document.ts";
import { plural } from "../lib/ui/format.ts";
import { Shell } from "../lib/ui/layout.tsx";
import { liveContext } from "../lib/ui/live_context.ts";
import { MessageList } from "../lib/ui/messages.tsx";
import { Sidebar } from "../lib/ui/sidebar.tsx";

export function sessionRoutes(services: AppServices): Hono {
  const { discovery } = services;
  const routes = new Hono();
  routes.get("/:sessionId", (c) => {
    const session = discovery.getSession(c.req.param("sessionId"));
    if (!session) return c.notFound();
    const project = discovery.getProject(session.projectID);
    const messages = discovery.listMessages(session.id);
    const children = session.childCount > 0 ? discovery.listChildren(session.id) : [];
    const parent = session.parentID ? discovery.getSession(session.parentID) : undefined;
    const title = session.title || "Untitled session";
    const live = liveContext(services);
    return renderPage(
      <Shell
        live={live}
        sidebar={
          <Sidebar
            live={live}
            projects={discovery.listProjects()}
            currentProject={project}
            sessions={project ? discovery.listSessions(project.id, { limit: 50 }).sessions : []}
            currentSessionId={parent?.id ?? session.id}
          />
        }
      >
        <div class="page-head">
          <div>
            <h1>{title}</h1>
            <p class="muted">
              {project
                ? <a href={`/project/${encodeURIComponent(project.id)}`}>{project.name}</a>
                : session.directory}
              {parent && (
                <>
                  {" · sub-agent of "}
                  <a href={`/session/${encodeURIComponent(parent.id)}`}>
                    {parent.title || "its parent"}
                  </a>
                </>
              )}
            </p>
          </div>
        </div>
        {children.length > 0 && (
          <details class="children">
            <summary>{plural(children.length, "sub-agent session")}</summary>
            <ul>
              {children.map((child) => (
                <li key={child.id}>
                  <a href={`/session/${encodeURIComponent(child.id)}`}>
                    {child.title || "Untitled"}
                  </a>
                </li>
              ))}
            </ul>
          </details>
        )}
        <MessageList messages={messages} />
      </Shell>,
      { title: `${title} · ${project?.name ?? "Session"} · Palot`, eventId: live.eventId },
    );
  });
  return routes;
}
