/**
 * `/search?q=…&page=N`: every session whose title or messages match, from Palot's own index,
 * server-rendered, and on the first page other machines' sessions by title (from Palot's cache)
 * and by message (from Palot's index of their messages, read through their API). Any text is a
 * valid query (it is searched as words, never as syntax).
 */

import { Hono } from "hono";
import type { AppServices } from "../lib/server/services.ts";
import { searchSessions } from "../lib/server/search/results.ts";
import { renderPage } from "./views/document.ts";
import { Shell } from "./views/layout.tsx";
import { liveContext } from "./views/live_context.ts";
import { RemoteResults, SearchResults } from "./views/search_results.tsx";
import { searchRemoteMessages } from "../lib/server/remote/remote_message_search.ts";
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
    const servers = page === 1 ? services.remotes?.list() ?? [] : [];
    const titles = remoteTitleItems(servers, query, 20);
    const messages = page === 1
      ? searchRemoteMessages(services.remotes, query, 20)
      : { hits: [], incomplete: [] };
    return renderPage(
      <Shell live={live} query={query}>
        <h1>{query.trim() ? `Search: ${query}` : "Search"}</h1>
        <SearchResults view={view} />
        <RemoteResults titles={titles} messages={messages} />
      </Shell>,
      { title: `${query.trim() ? `${query} · ` : ""}Search · Palot`, eventId: live.eventId },
    );
  });
  return routes;
}
