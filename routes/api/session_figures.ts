/**
 * `/api/session-figures?id=…&id=…`: the changed files and lines of sessions as OpenCode's storage
 * has them now (an Undo's changes left out: `lib/server/discovery/`), for the sidebar to follow an
 * Undo, a Redo or a finished turn without a reload. At most 50 ids; unknown ids are left out.
 * Another machine's: `/api/servers/:server/session-figures?id=…`, counted from its API
 * (`remote_figures.ts`).
 */

import { Hono } from "hono";
import type { AppServices } from "../../lib/server/services.ts";
import { readRemoteFigures } from "../../lib/server/remote/remote_figures.ts";

/** The most ids one request may ask for (the sidebar lists 50 sessions). */
const MAX_IDS = 50;

export function sessionFigureRoutes({ discovery }: AppServices): Hono {
  const routes = new Hono();
  routes.get("/", (c) => {
    const ids = c.req.queries("id") ?? [];
    if (ids.length > MAX_IDS) return c.json({ error: `At most ${MAX_IDS} ids at once` }, 400);
    const figures: Record<string, { files: number; additions: number; deletions: number }> = {};
    for (const id of ids) {
      const session = discovery.getSession(id);
      if (session) {
        const { files, additions, deletions } = session;
        figures[id] = { files, additions, deletions };
      }
    }
    return c.json(figures, 200, { "cache-control": "no-store" });
  });
  return routes;
}

/** `GET /:server/session-figures`, mounted under `/api/servers`. */
export function remoteSessionFigureRoutes({ remotes }: AppServices): Hono {
  const routes = new Hono();
  routes.get("/:server/session-figures", async (c) => {
    const server = remotes?.get(c.req.param("server"));
    if (!server) return c.json({ error: `No server "${c.req.param("server")}"` }, 404);
    const ids = c.req.queries("id") ?? [];
    if (ids.length > MAX_IDS) return c.json({ error: `At most ${MAX_IDS} ids at once` }, 400);
    return c.json(await readRemoteFigures(server, ids), 200, { "cache-control": "no-store" });
  });
  return routes;
}
