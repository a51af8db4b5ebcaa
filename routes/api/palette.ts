/** `GET /api/palette?q=…`: the command palette's items for what the user typed (JSON). */

import { Hono } from "hono";
import type { AppServices } from "../../lib/server/services.ts";
import { paletteItems } from "../../lib/common/palette/items.ts";
import { remoteTitleItems } from "../../lib/server/remote/remote_titles.ts";

export function paletteRoutes({ discovery, remotes }: AppServices): Hono {
  const routes = new Hono();
  routes.get("/", (c) => {
    const query = (c.req.query("q") ?? "").slice(0, 200);
    // This machine's first; other machines' projects and sessions by name after them.
    const items = [
      ...paletteItems(discovery, query),
      ...remoteTitleItems(remotes?.list() ?? [], query, 6),
    ];
    return c.json({ items }, 200, { "cache-control": "no-store" });
  });
  return routes;
}
