/**
 * `POST /api/worktrees`: a new git worktree for the session the New session page is starting,
 * `{"directory": "<the project's folder>", "message": "<the first message>"}`. Named from the
 * message's first words (unique, a valid branch name), made by OpenCode, answered once its files
 * are checked out: `{name, branch, directory}`. 400 for a folder that is not a git repository or a
 * malformed request, 503 while OpenCode is not ready, 502 when it refused.
 */

import { Hono } from "hono";
import type { AppServices } from "../../lib/server/services.ts";
import { OpencodeApiError } from "../../lib/server/opencode/opencode_api.ts";
import { createWorktree, NotGitError } from "../../lib/server/worktrees/create.ts";
import { GitError } from "../../lib/server/worktrees/git.ts";

export function worktreeApiRoutes({ discovery, supervisor, live }: AppServices): Hono {
  const routes = new Hono();
  routes.post("/", async (c) => {
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
    const project = discovery.listProjects().find((item) => item.worktree === directory);
    try {
      const created = await createWorktree(
        supervisor,
        directory,
        message.slice(0, 500),
        project?.sandboxes ?? [],
        live?.hub,
      );
      return c.json(created);
    } catch (error) {
      if (error instanceof NotGitError || error instanceof GitError) {
        return c.json({ error: error.message }, 400);
      }
      if (error instanceof OpencodeApiError) {
        return c.json({ error: error.message }, error.status === 503 ? 503 : 502);
      }
      throw error;
    }
  });
  return routes;
}
