/**
 * Another machine's pages, at addresses that name its server (Palot's id for it, from Settings →
 * Servers): `/s/:server/project/:projectId` (its sessions, newest first, 50 a page),
 * `/s/:server/project/:projectId/new` and `/s/:server/new?directory=` (a new chat), and
 * `/s/:server/session/:sessionId` (a chat). Projects and sessions come from Palot's cache of the
 * server's API, so a page never waits on a machine that is gone; a session's messages are asked of
 * it with a short timeout, and when it does not answer the page says so and the chat keeps its
 * draft. The chat reaches the server through Palot's per-server proxy (`/api/servers/...`).
 * Like this machine's pages they have the sidebar (that machine's projects and the project's
 * sessions), and a project page has `Worktrees` (those OpenCode made there, with their sessions)
 * and `Terminals` (those running in its folder, listed with a short timeout, each with `End`:
 * `POST /s/:server/project/:projectId/terminals/:ptyId/end`).
 */

import { Hono } from "hono";
import type { Context } from "hono";
import type { ComponentChildren } from "preact";
import type { AppServices } from "../lib/server/services.ts";
import type { RemoteServer } from "../lib/server/remote/remote_server.ts";
import type { MessageWithParts } from "../lib/common/message.ts";
import type { Project, SessionSummary } from "../lib/common/discovery_types.ts";
import { Chat } from "../islands/mod.ts";
import { OpencodeApiError } from "../lib/server/opencode/opencode_api.ts";
import { Sidebar } from "./views/sidebar.tsx";
import { WorktreeBar, type WorktreeRow, WorktreesSection } from "./views/worktrees.tsx";
import {
  NO_WORKTREE,
  WORKTREE_GONE,
  worktreeActionRoutes,
  type WorktreeMachine,
  type WorktreeTarget,
} from "./worktree.tsx";
import {
  applyRemoteWorktree,
  previewRemoteMerge,
  remoteFailure,
  remoteSessionPlace,
  remoteWorktreeState,
  removeRemoteWorktree,
} from "../lib/server/remote/remote_worktrees.ts";
import { MergeRefusedError } from "../lib/server/worktrees/merge.ts";
import { basename } from "node:path";
import { RunningTerminalsSection } from "./views/running_terminals.tsx";
import { renderPage } from "./views/document.ts";
import { NewSession } from "./views/new_session.tsx";
import { Shell } from "./views/layout.tsx";
import { type LiveContext, liveContext, sessionReaders } from "./views/live_context.ts";
import { ProjectHead, SessionRow } from "./views/lists.tsx";
import { MachineStatus } from "./views/machine_status.tsx";
import { plural } from "../lib/client/ui/format.ts";
import { liveWindowStart } from "../lib/client/chat/live_session.ts";
import {
  remoteProjectHref,
  remoteSessionHref,
  serverPagePrefix,
} from "../lib/common/remote_paths.ts";
import { statusWords } from "../lib/common/machine_status.ts";
import { renderingFor } from "../lib/client/live/page_server.ts";
import { FIRST_WINDOW } from "./session.tsx";
import { ALL_WINDOW, EarlierHistory } from "./views/earlier_history.tsx";

/** Sessions a project page lists at a time. */
const PAGE_SIZE = 50;
/** Longest wait for a session's messages before the page renders without them. */
const MESSAGES_TIMEOUT_MS = 3_000;
/** Longest wait for a whole history (`?all=1`). */
const ALL_TIMEOUT_MS = 15_000;
/** Longest wait for another call a page makes to the server (its terminals, ending one). */
const READ_TIMEOUT_MS = 3_000;

export function remoteRoutes(services: AppServices): Hono {
  const routes = new Hono();
  const serverOf = (c: Context) => services.remotes?.get(c.req.param("server") ?? "");

  routes.get("/:server/project/:projectId", async (c) => {
    const server = serverOf(c);
    const project = server?.catalog.getProject(c.req.param("projectId"));
    if (!server || !project) return c.notFound();
    const page = Math.max(1, Math.min(1_000_000, Number(c.req.query("page")) || 1));
    const all = server.catalog.listSessions(project.id);
    const sessions = all.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE);
    const base = remoteProjectHref(server.id, project.id);
    const live = machineContext(services, server);
    const terminals = await runningTerminals(server, project.worktree);
    return renderingFor(server.id, () =>
      renderPage(
        <Shell
          live={live}
          sidebar={machineSidebar(server, live, project, { sessions: all.slice(0, PAGE_SIZE) })}
        >
          <MachineCrumb server={server} />
          <ProjectHead project={project} newHref={`${base}/new`} />
          <p class="muted">{plural(all.length, "session")}</p>
          {sessions.length === 0
            ? <p class="empty">No sessions yet. Start one with New session.</p>
            : (
              <ul class="session-list">
                {sessions.map((session) => (
                  <SessionRow
                    key={session.id}
                    session={session}
                    href={remoteSessionHref(server.id, session.id)}
                    live={live.sidebarRow(session)}
                  />
                ))}
              </ul>
            )}
          <nav class="pager" aria-label="Pages">
            {page > 1 && <a href={`${base}?page=${page - 1}`}>Newer</a>}
            {all.length > page * PAGE_SIZE && <a href={`${base}?page=${page + 1}`}>More</a>}
          </nav>
          <WorktreesSection rows={worktreeRows(server, project, all)} />
          <RunningTerminalsSection
            base={base}
            terminals={terminals.list}
            problem={c.req.query("terminal-error") ?? terminals.problem}
          />
        </Shell>,
        { title: `${project.name} · ${server.name} · Palot`, eventId: live.eventId },
      ));
  });
  routes.post("/:server/project/:projectId/terminals/:ptyId/end", async (c) => {
    const server = serverOf(c);
    const project = server?.catalog.getProject(c.req.param("projectId"));
    if (!server || !project) return c.notFound();
    const base = remoteProjectHref(server.id, project.id);
    const query = new URLSearchParams({ directory: project.worktree });
    try {
      await server.api(`/pty/${encodeURIComponent(c.req.param("ptyId"))}?${query}`, {
        method: "DELETE",
        timeoutMs: READ_TIMEOUT_MS,
      });
    } catch (error) {
      // Already gone is what was asked.
      if (!(error instanceof OpencodeApiError && error.status === 404)) {
        const message = `Could not end the terminal: ${(error as Error).message}`;
        return c.redirect(`${base}?terminal-error=${encodeURIComponent(message)}#terminals`, 303);
      }
    }
    return c.redirect(`${base}#terminals`, 303);
  });

  const newChat = (server: RemoteServer, project: Project) => {
    const live = machineContext(services, server);
    return renderingFor(server.id, () =>
      renderPage(
        <Shell live={live} sidebar={machineSidebar(server, live, project.id ? project : undefined)}>
          <NewSession
            project={project}
            toolbar={server.toolbars.visit(project.worktree)}
            crumbs={
              <MachineCrumb server={server}>
                {" · "}
                <a href={remoteProjectHref(server.id, project.id)}>{project.name}</a>
              </MachineCrumb>
            }
          />
        </Shell>,
        {
          title: `New session · ${project.name} · ${server.name} · Palot`,
          eventId: live.eventId,
          frame: true,
        },
      ));
  };
  routes.get("/:server/project/:projectId/new", (c) => {
    const server = serverOf(c);
    const project = server?.catalog.getProject(c.req.param("projectId"));
    if (!server || !project) return c.notFound();
    return newChat(server, project);
  });
  routes.get("/:server/new", (c) => {
    const server = serverOf(c);
    const directory = c.req.query("directory");
    if (!server || !directory) return c.notFound();
    const project = server.catalog.listProjects().find((item) => item.worktree === directory) ??
      { id: "", name: directory, worktree: directory, vcs: null, sessionCount: 0, lastActivity: 0 };
    return newChat(server, project);
  });

  routes.get("/:server/session/:sessionId", async (c) => {
    const server = serverOf(c);
    if (!server) return c.notFound();
    const id = c.req.param("sessionId");
    // One just made in a new worktree may be opened before its event has arrived.
    const session = await server.session(id);
    if (!session) return c.notFound();
    const project = server.catalog.getProject(session.projectID);
    const all = c.req.query("all") === "1";
    // A search result (`?at=`) may point at any message: the whole window is read for it.
    const limit = all || c.req.query("at") ? ALL_WINDOW : FIRST_WINDOW;
    let messages: MessageWithParts[] = [];
    let unreachable: string | undefined;
    if (server.status.state === "offline") {
      unreachable = statusWords(server.status);
    } else {
      try {
        const query = new URLSearchParams({
          directory: session.directory,
          limit: String(limit + 1),
        });
        messages = (await server.api<MessageWithParts[]>(
          `/session/${encodeURIComponent(id)}/message?${query}`,
          { timeoutMs: limit === ALL_WINDOW ? ALL_TIMEOUT_MS : MESSAGES_TIMEOUT_MS },
        )).body;
      } catch (error) {
        unreachable = `Its messages could not be read: ${(error as Error).message}`;
      }
    }
    // One more than shown is asked for: whether there are earlier ones.
    const hasEarlier = messages.length > limit;
    if (hasEarlier) messages = messages.slice(1);
    const children = server.catalog.listChildren(id);
    const state = server.index.snapshot()[id];
    const place = remoteSessionPlace(project, session.directory);
    const gone = place.kind === "deleted";
    const title = session.title || "Untitled session";
    const live = machineContext(services, server);
    const latest = messages.slice(liveWindowStart(messages));
    // Those before the live window (a search result may point at one) are rendered above it.
    const older = messages.slice(0, messages.length - latest.length);
    return renderingFor(server.id, () =>
      renderPage(
        <Shell
          live={live}
          sidebar={machineSidebar(server, live, project, { currentSessionId: id })}
        >
          <MachineCrumb server={server}>
            {" · "}
            {project
              ? <a href={remoteProjectHref(server.id, project.id)}>{project.name}</a>
              : session.directory}
          </MachineCrumb>
          {unreachable && (
            <p class="setup-note" role="alert" data-server-offline>
              {server.name}{" "}
              is not answering ({unreachable}). What you type here is kept; send it once the server
              is back.
            </p>
          )}
          <EarlierHistory
            sessionHref={remoteSessionHref(server.id, id)}
            hasEarlier={hasEarlier}
            all={all}
            limit={limit}
            keptIn={`OpenCode on ${server.name}`}
            older={older}
            revert={session.revertMessageID}
          />
          <WorktreeBar
            place={place}
            branch={place.kind === "worktree" ? `opencode/${basename(place.directory)}` : undefined}
            sessionId={id}
            merged={c.req.query("merged")}
            applyOnly
          />
          <Chat
            workbench={!gone}
            directory={session.directory}
            projectId={project?.id ?? session.projectID}
            projectName={project?.name ?? session.directory}
            session={{ id, title, parentID: session.parentID ?? undefined }}
            subSessions={children.map((child) => ({ id: child.id, title: child.title }))}
            messages={latest}
            status={state?.status ?? "idle"}
            permissions={state?.permissions ?? []}
            questions={state?.questions ?? []}
            revert={session.revertMessageID}
            git={project ? project.vcs === "git" : undefined}
            toolbar={gone ? undefined : server.toolbars.visit(session.directory)}
            closed={gone ? WORKTREE_GONE : undefined}
          />
        </Shell>,
        { title: `${title} · ${server.name} · Palot`, eventId: live.eventId, frame: true },
      ));
  });
  routes.route("/:server/worktree", worktreeActionRoutes(remoteWorktreeMachine(services)));
  return routes;
}

/**
 * Another machine's worktree actions (`/s/:server/worktree/*`), through its OpenCode server's API
 * (see `remote_worktrees.ts`): Merge applies the changes to the checkout, uncommitted.
 */
function remoteWorktreeMachine(
  services: AppServices,
): WorktreeMachine<WorktreeTarget & { server: RemoteServer }> {
  return {
    href: ({ server }, path) => serverPagePrefix(server.id) + path,
    target(c) {
      const server = services.remotes?.get(c.req.param("server") ?? "");
      const session = server?.catalog.getSession(c.req.query("session") ?? "");
      if (!server || !session) return c.text("No such session", 404);
      const project = server.catalog.getProject(session.projectID);
      const place = remoteSessionPlace(project, session.directory);
      if (place.kind === "deleted") {
        return c.redirect(remoteSessionHref(server.id, session.id), 303);
      }
      if (!project || place.kind !== "worktree") return c.text(NO_WORKTREE, 404);
      return { server, session, project, directory: place.directory };
    },
    page({ server, project, session }, body, title, status) {
      const live = machineContext(services, server);
      return renderingFor(server.id, () =>
        renderPage(
          <Shell
            live={live}
            sidebar={machineSidebar(server, live, project, { currentSessionId: session.id })}
          >
            <MachineCrumb server={server}>
              {" · "}
              <a href={remoteProjectHref(server.id, project.id)}>{project.name}</a>
              {" · "}
              <a href={remoteSessionHref(server.id, session.id)}>
                {session.title || "Untitled session"}
              </a>
            </MachineCrumb>
            {body}
          </Shell>,
          { title: `${title} · ${server.name} · Palot`, eventId: live.eventId, status },
        ));
    },
    working: ({ server, directory }) => server.index.workingIn(directory).length > 0,
    async preview({ server, project, directory }) {
      try {
        return await previewRemoteMerge(server, project.worktree, directory);
      } catch (error) {
        return {
          files: [],
          conflicts: [],
          dirtyCheckout: [],
          uncommitted: 0,
          refusal: remoteFailure(server, error),
        };
      }
    },
    async merge({ server, project, directory }) {
      const preview = await previewRemoteMerge(server, project.worktree, directory).catch(
        (error) => {
          throw new MergeRefusedError(remoteFailure(server, error));
        },
      );
      if (preview.refusal) throw new MergeRefusedError(preview.refusal);
      await applyRemoteWorktree(server, project.worktree, preview.patch);
      return preview.base ?? "the project's branch";
    },
    async state({ server, directory }) {
      try {
        return await remoteWorktreeState(server, directory);
      } catch (error) {
        return {
          directory,
          present: true,
          changedFiles: 0,
          ahead: 0,
          behind: 0,
          problem: remoteFailure(server, error),
        };
      }
    },
    async remove({ server, project, directory }) {
      await removeRemoteWorktree(server, project.worktree, directory);
      await server.refreshProject(project.worktree).catch(() => {});
    },
  };
}

/**
 * The live context of a page of `server`: its connection indicator follows that machine (its
 * events' `palot.server` status in the tab), so it starts from that machine's status too.
 */
function machineContext(services: AppServices, server: RemoteServer): LiveContext {
  return {
    ...liveContext(services),
    connected: server.status.state === "online",
    ...sessionReaders(server.index.snapshot()),
  };
}

/** The sidebar of a page of `server`: that machine's projects, and the project's latest sessions. */
function machineSidebar(
  server: RemoteServer,
  live: LiveContext,
  project?: Project,
  options: { sessions?: SessionSummary[]; currentSessionId?: string } = {},
) {
  return (
    <Sidebar
      live={live}
      projects={server.catalog.listProjects()}
      currentProject={project}
      sessions={options.sessions ??
        (project ? server.catalog.listSessions(project.id).slice(0, PAGE_SIZE) : [])}
      currentSessionId={options.currentSessionId}
      projectHref={(each) => remoteProjectHref(server.id, each.id)}
    />
  );
}

/**
 * The project's worktrees on `server`, as its OpenCode server lists them (its `sandboxes`), each
 * with its sessions and whether one works now.
 */
function worktreeRows(
  server: RemoteServer,
  project: Project,
  sessions: SessionSummary[],
): WorktreeRow[] {
  return (project.sandboxes ?? []).map((directory) => ({
    state: { directory, present: true },
    sessions: sessions.filter((session) => session.directory === directory),
    working: server.index.workingIn(directory).length > 0,
  }));
}

/** The terminals running in `directory` on `server`, or why they could not be listed. */
async function runningTerminals(
  server: RemoteServer,
  directory: string,
): Promise<{ list: { id: string; title: string }[]; problem?: string }> {
  if (server.status.state !== "online") return { list: [] };
  try {
    const query = new URLSearchParams({ directory });
    const { body } = await server.api<{ id: string; title: string; status: string }[]>(
      `/pty?${query}`,
      { timeoutMs: READ_TIMEOUT_MS },
    );
    return { list: body.filter((pty) => pty.status === "running") };
  } catch (error) {
    return { list: [], problem: `Its terminals could not be listed: ${(error as Error).message}` };
  }
}

/** The machine a page belongs to, with its status: a link home, then `children`. */
function MachineCrumb(
  { server, children }: { server: RemoteServer; children?: ComponentChildren },
) {
  return (
    <p class="muted breadcrumbs">
      <a href="/">{server.name}</a> <MachineStatus server={server} />
      {children}
    </p>
  );
}
