/**
 * `/api/toolbar?directory=`: a project's toolbar options (agents, models, the configured model,
 * the branch), for a chat page whose HTML came without them. It joins the load the page's own
 * visit started, so a cold project is asked once. `{data}`, or `{missing: true}` for a folder gone
 * from disk; 503 while OpenCode is not answering (try again), 502 when it refused.
 */

import { Hono } from "hono";
import type { AppServices } from "../../lib/server/services.ts";

export function toolbarRoutes({ toolbars }: AppServices): Hono {
  const routes = new Hono();
  routes.get("/", async (c) => {
    const directory = c.req.query("directory");
    if (!directory) return c.json({ error: 'Missing the "directory" parameter' }, 400);
    if (!toolbars) return c.json({ error: "Toolbar options are not kept by this server" }, 503);
    const load = await toolbars.current(directory);
    const headers = { "cache-control": "no-store" };
    if ("unavailable" in load) {
      return c.json({ error: "OpenCode is not answering yet" }, 503, {
        ...headers,
        "retry-after": "1",
      });
    }
    if ("error" in load) return c.json({ error: load.error }, 502, headers);
    return c.json(load, 200, headers);
  });
  return routes;
}
