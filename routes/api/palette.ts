/** `GET /api/palette?q=…`: the command palette's items for what the user typed (JSON). */

import { Hono } from "hono";
import type { AppServices } from "../../lib/server/services.ts";
import { paletteItems } from "../../lib/common/palette/items.ts";

export function paletteRoutes({ discovery }: AppServices): Hono {
  const routes = new Hono();
  routes.get("/", (c) => {
    const query = (c.req.query("q") ?? "").slice(0, 200);
    return c.json({ items: paletteItems(discovery, query) }, 200, { "cache-control": "no-store" });
  });
  return routes;
}
