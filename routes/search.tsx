/**
 * `/search?q=…&page=N`: every session whose title or messages match, from Palot's own index,
 * server-rendered. Any text is a valid query (it is searched as words, never as syntax).
 */

import { Hono } from "hono";
import type { AppServices } from "../lib/server/services.ts";
import { searchSessions } from "../lib/server/search/results.ts";
import { renderPage } from "./views/document.ts";
import { Shell } from "./views/layout.tsx";
import { liveContext } from "./views/live_context.ts";
import { SearchResults } from "./views/search_results.tsx";
import { remoteTitleItems } from "../lib/server/remote/remote_titles.ts";

/** Longest query read; the rest is ignored. */
const MAX_QUERY = 500;

export function searchRoutes(services: AppServices): Hono {
  const routes = new Hono();
  routes.get("/", (c) => {
    const query = (c.req.query("q") ?? "").slice(0, MAX_QUERY);
    const page = Math.min(Math.max(Math.trunc(Number(c.req.query("page"))) || 1, 1), 500);
    const view = services.search
      ? searchSessions(services.search, services.discovery, query, page)
      : {
        query,
        page,
        results: [],
        hasMore: false,
        total: 0,
        capped: false,
        progress: { state: "unavailable" as const, done: 0, total: 0, reason: "not started" },
      };
    const live = liveContext(services);
    const elsewhere = page === 1 ? remoteTitleItems(services.remotes?.list() ?? [], query, 20) : [];
    return renderPage(
      <Shell live={live} query={query}>
        <h1>{query.trim() ? `Search: ${query}` : "Search"}</h1>
        <SearchResults view={view} />
        {elsewhere.length > 0 && (
          <section aria-labelledby="elsewhere">
            <h2 id="elsewhere">On other machines (titles)</h2>
            <ul class="session-list">
              {elsewhere.map((item) => (
                <li key={item.id} class="session-row">
                  <a class="session-title" href={item.href}>{item.label}</a>{" "}
                  <span class="muted">{item.detail}</span>
                </li>
              ))}
            </ul>
          </section>
        )}
      </Shell>,
      { title: `${query.trim() ? `${query} · ` : ""}Search · Palot`, eventId: live.eventId },
    );
  });
  return routes;
}
