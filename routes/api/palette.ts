/**
 * `GET /api/palette?q=…`: the command palette's items for what the user typed (JSON), a bounded
 * answer: sessions come from the recent ones and, by title, from the search index.
 */

import { Hono } from "hono";
import type { AppServices } from "../../lib/server/services.ts";
import { paletteItems, type TitleMatches } from "../../lib/common/palette/items.ts";
import type { SessionSummary } from "../../lib/common/discovery_types.ts";
import { remoteTitleItems } from "../../lib/server/remote/remote_titles.ts";

export function paletteRoutes({ discovery, search, remotes }: AppServices): Hono {
  const titleMatches: TitleMatches | undefined = search &&
    ((text, limit) =>
      search.sessionsByTitle(text, limit).map((id) => discovery.getSession(id))
        .filter((session): session is SessionSummary => session !== undefined));
  const routes = new Hono();
  routes.get("/", (c) => {
    const query = (c.req.query("q") ?? "").slice(0, 200);
    // This machine's first; other machines' projects and sessions by name after them.
    const items = [
      ...paletteItems(discovery, query, titleMatches),
      ...remoteTitleItems(remotes?.list() ?? [], query, 6),
    ];
    return c.json({ items }, 200, { "cache-control": "no-store" });
  });
  return routes;
}
