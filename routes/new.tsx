/**
 * `/new?directory=PATH`: a New session page for any folder, known to OpenCode or not (the address
 * `Open folder` goes to, and the one to bookmark). The first Send creates the session, and with it
 * OpenCode's project. A folder without git says that undo of file changes needs git and offers
 * `Initialise git` (`POST /new/git`, through OpenCode's own `/project/git/init`). A path that
 * cannot be opened sends the `Open folder` form back with its message.
 */

import { Hono } from "hono";
import type { Context } from "hono";
import { Chat, Terminal } from "../islands/mod.ts";
import type { AppServices } from "../lib/server/services.ts";
import { baseName } from "../lib/common/discovery_types.ts";
import { checkFolder, homeFolder, isGitRepository } from "../lib/server/folders/check.ts";
import { RecentFolders } from "../lib/server/folders/recent.ts";
import { opencodeApi, OpencodeApiError } from "../lib/server/opencode/opencode_api.ts";
import { renderPage } from "./views/document.ts";
import { Shell } from "./views/layout.tsx";
import { liveContext } from "./views/live_context.ts";
import { newSessionHref, OpenFolderBlock } from "./views/open_folder.tsx";
import { projectSidebar } from "./views/sidebar.tsx";

export function newSessionRoutes(services: AppServices): Hono {
  const { discovery, supervisor } = services;
  const recent = new RecentFolders(services.config.stateDir);

  const render = async (directory: string, gitError?: string) => {
    const project = discovery.listProjects().find((item) => item.worktree === directory);
    const name = project?.name ?? baseName(directory);
    const git = await isGitRepository(directory);
    const live = liveContext(services);
    return renderPage(
      <Shell live={live} sidebar={projectSidebar(discovery, live, project)}>
        <Terminal directory={directory} />
        <p class="muted breadcrumbs">
          {project
            ? <a href={`/project/${encodeURIComponent(project.id)}`}>{project.name}</a>
            : <span class="project-path">{directory}</span>}
        </p>
        {!git && (
          <form
            class="git-note"
            method="post"
            action={`/new/git?directory=${encodeURIComponent(directory)}`}
          >
            <p>
              This folder is not a git repository. The agent can work here, but undo of its file
              changes needs git.
            </p>
            <button type="submit" class="button">Initialise git</button>
            {gitError && <p class="field-error" role="alert">{gitError}</p>}
          </form>
        )}
        <Chat
          directory={directory}
          projectId={project?.id}
          projectName={name}
          messages={[]}
          status="idle"
          permissions={[]}
          questions={[]}
          git={git}
          toolbar={services.toolbars?.visit(directory)}
        />
      </Shell>,
      {
        title: `New session · ${name} · Palot`,
        eventId: live.eventId,
        frame: true,
        status: gitError ? 502 : 200,
      },
    );
  };

  /** The folder `?directory=` names, or the Open folder form with its message. */
  const folderOf = async (c: Context) => {
    const typed = c.req.query("directory") ?? "";
    const check = await checkFolder(typed, { home: homeFolder() });
    if (check.ok) return check.path;
    const live = liveContext(services);
    return renderPage(
      <Shell live={live}>
        <h1>Open folder</h1>
        <OpenFolderBlock value={typed} error={check.error} recent={recent.list()} />
      </Shell>,
      { title: "Open folder · Palot", eventId: live.eventId, status: 400 },
    );
  };

  const routes = new Hono();
  routes.get("/", async (c) => {
    const directory = await folderOf(c);
    if (directory instanceof Response) return directory;
    // One address per folder: `~/x`, `/a/../x/` and the like redirect to the plain path.
    if (directory !== c.req.query("directory")) return c.redirect(newSessionHref(directory), 302);
    await recent.add(directory).catch((error) => {
      console.error(`Cannot remember the recent folder: ${error.message}`);
    });
    return render(directory);
  });
  routes.post("/git", async (c) => {
    const directory = await folderOf(c);
    if (directory instanceof Response) return directory;
    try {
      await opencodeApi(supervisor, "/project/git/init", { method: "POST", directory });
    } catch (error) {
      if (!(error instanceof OpencodeApiError)) throw error;
      return render(directory, `Could not initialise git: ${error.message}`);
    }
    return c.redirect(newSessionHref(directory), 303);
  });
  return routes;
}
