/**
 * `/session/:sessionId`: a session's chat. The history is read from disk and rendered on the
 * server (readable without JavaScript); the latest messages are the Chat island, which keeps them
 * live, with the toolbar, the composer and whatever the agent asks.
 */

import { Hono } from "hono";
import type { AppServices } from "../lib/server/services.ts";
import { Chat } from "../islands/mod.ts";
import { renderPage } from "./views/document.ts";
import { plural } from "../lib/client/ui/format.ts";
import { liveWindowStart } from "../lib/client/chat/live_session.ts";
import { Shell } from "./views/layout.tsx";
import { liveContext } from "./views/live_context.ts";
import { ALL_WINDOW, EarlierHistory } from "./views/earlier_history.tsx";
import { projectSidebar } from "./views/sidebar.tsx";
import { WorktreeBar } from "./views/worktrees.tsx";
import { WORKTREE_GONE } from "./worktree.tsx";
import { sessionPlace } from "../lib/server/worktrees/session_worktree.ts";
import { worktreeBranch } from "../lib/server/worktrees/branch.ts";

/** Messages shown at first. */
export const FIRST_WINDOW = 250;
/** Messages shown before the one a search result opens at. */
const AT_CONTEXT = 5;

export function sessionRoutes(services: AppServices): Hono {
  const { discovery } = services;
  const routes = new Hono();
  routes.get("/:sessionId", (c) => {
    const session = discovery.getSession(c.req.param("sessionId"));
    if (!session) return c.notFound();
    const project = discovery.getProject(session.projectID);
    const all = c.req.query("all") === "1";
    // `?at=MESSAGE` (from a search result) widens the window to reach that message.
    const at = c.req.query("at");
    const reach = at ? discovery.countMessagesFrom(session.id, at) : 0;
    const limit = all ? ALL_WINDOW : Math.max(FIRST_WINDOW, reach + AT_CONTEXT);
    const window = discovery.listMessages(session.id, { limit: limit + 1 });
    const hasEarlier = window.length > limit;
    // Text still streaming is shown as streamed so far, as of the page's event id (no gap).
    const stored = hasEarlier ? window.slice(1) : window;
    const messages = services.live?.streaming.overlay(session.id, stored) ?? stored;
    const children = session.childCount > 0 ? discovery.listChildren(session.id) : [];
    const parent = session.parentID ? discovery.getSession(session.parentID) : undefined;
    const title = session.title || "Untitled session";
    const live = liveContext(services);
    const state = live.sessionState(session.id, children.map((child) => child.id));
    // Messages an Undo hides stay hidden after a reload, and come back on Redo.
    const revert = session.revertMessageID;
    // The live window starts at a turn's first message: a turn is never split in two blocks.
    const start = liveWindowStart(messages);
    const older = messages.slice(0, start);
    const latest = messages.slice(start);
    const place = sessionPlace(project, session.directory, discovery.dataDir);
    // A session whose worktree is gone can be read, not continued: its folder is not there.
    const gone = place.kind === "deleted" || (place.kind === "worktree" && !place.present);
    return renderPage(
      <Shell
        live={live}
        sidebar={projectSidebar(discovery, live, project, {
          currentSessionId: parent?.id ?? session.id,
        })}
      >
        <p class="muted breadcrumbs">
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
        <WorktreeBar
          place={place}
          branch={place.kind === "worktree" && place.present
            ? worktreeBranch(place.directory)
            : undefined}
          sessionId={session.id}
          projectHref={project && `/project/${encodeURIComponent(project.id)}`}
          merged={c.req.query("merged")}
        />
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
        <EarlierHistory
          sessionHref={`/session/${encodeURIComponent(session.id)}`}
          hasEarlier={hasEarlier}
          all={all}
          limit={limit}
          keptIn="OpenCode's storage"
          older={older}
          revert={revert}
        />
        <Chat
          workbench={!gone}
          directory={session.directory}
          projectId={project?.id ?? session.projectID}
          projectName={project?.name ?? session.directory}
          session={{ id: session.id, title, parentID: session.parentID ?? undefined }}
          subSessions={children.map((child) => ({ id: child.id, title: child.title }))}
          messages={latest}
          status={state.status}
          permissions={state.permissions}
          questions={state.questions}
          revert={revert}
          git={project ? project.vcs === "git" : undefined}
          toolbar={gone ? undefined : services.toolbars?.visit(session.directory)}
          closed={gone ? WORKTREE_GONE : undefined}
        />
      </Shell>,
      {
        title: `${title} · ${project?.name ?? "Session"} · Palot`,
        eventId: live.eventId,
        // A page opened at a message scrolls there (its #fragment), not to the end.
        startAtEnd: reach === 0,
        frame: true,
      },
    );
  });
  return routes;
}
