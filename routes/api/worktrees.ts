/**
 * `POST /api/worktrees`: a new git worktree for the session the New session page is starting,
 * `{"directory": "<the project's folder>", "message": "<the first message>"}`. Named from the
 * message's first words (unique, a valid branch name), made by OpenCode, answered once its files
 * are checked out: `{name, branch, directory}`. 400 for a folder that is not a git repository or a
 * malformed request, 503 while OpenCode is not ready, 502 when it refused. Another machine's:
 * `POST /api/servers/:server/worktrees`, the same, made by its OpenCode server.
 */

import { Hono } from "hono";
import type { Context } from "hono";
import type { AppServices } from "../../lib/server/services.ts";
import type { EndpointSource } from "../../lib/server/opencode/endpoint.ts";
import { OpencodeApiError } from "../../lib/server/opencode/opencode_api.ts";
import { createWorktree, NotGitError } from "../../lib/server/worktrees/create.ts";
import { GitError } from "../../lib/server/worktrees/git.ts";
import type { Project } from "../../lib/common/discovery_types.ts";
import { limitBody } from "../../lib/server/http/body_limit.ts";
import { SMALL_BODY_LIMIT } from "../../lib/server/opencode/proxied_api.ts";
import { remoteFailure } from "../../lib/server/remote/remote_worktrees.ts";

/** The machine a worktree is asked of: its OpenCode server, projects, and id in events. */
interface Machine {
  source: EndpointSource;
  projects: Project[];
  server?: string;
  /** Called with the project's folder once the worktree is made. */
  made?: (checkout: string) => Promise<void>;
  /** Another machine's failure said for the user (it answered an error, or nothing). */
  failure?: (error: unknown) => string;
}

async function create(c: Context, services: AppServices, machine: Machine) {
  let body: { directory?: unknown; message?: unknown };
  try {
    body = await c.req.json();
  } catch {
    return c.json({ error: "Expected a JSON body" }, 400);
  }
  const { directory, message } = body ?? {};
  if (typeof directory !== "string" || !directory.startsWith("/")) {
    return c.json({ error: 'Expected "directory": the project\'s folder' }, 400);
  }
  if (typeof message !== "string") {
    return c.json({ error: 'Expected "message": the first message' }, 400);
  }
  const project = machine.projects.find((item) => item.worktree === directory);
  try {
    const created = await createWorktree(
      machine.source,
      directory,
      message.slice(0, 500),
      project?.sandboxes ?? [],
      services.live?.hub,
      { server: machine.server },
    );
    await machine.made?.(directory).catch(() => {});
    return c.json(created);
  } catch (error) {
    if (error instanceof NotGitError || error instanceof GitError) {
      return c.json({ error: error.message }, 400);
    }
    if (machine.failure) return c.json({ error: machine.failure(error) }, 502);
    if (error instanceof OpencodeApiError) {
      return c.json({ error: error.message }, error.status === 503 ? 503 : 502);
    }
    throw error;
  }
}

export function worktreeApiRoutes(services: AppServices): Hono {
  const routes = new Hono();
  routes.post("/", (c) =>
    create(c, services, {
      source: services.supervisor,
      projects: services.discovery.listProjects(),
    }));
  return routes;
}

/** `POST /:server/worktrees`, mounted under `/api/servers`. */
export function remoteWorktreeApiRoutes(services: AppServices): Hono {
  const routes = new Hono();
  // `/api/servers/*` has no app-wide body limit (the proxy sets its own): this body is small.
  routes.post("/:server/worktrees", limitBody(SMALL_BODY_LIMIT), (c) => {
    const server = services.remotes?.get(c.req.param("server"));
    if (!server) return c.json({ error: `No server "${c.req.param("server")}"` }, 404);
    return create(c, services, {
      source: server,
      projects: server.catalog.listProjects(),
      server: server.id,
      made: (checkout) => server.refreshProject(checkout),
      failure: (error) => remoteFailure(server, error),
    });
  });
  return routes;
}
