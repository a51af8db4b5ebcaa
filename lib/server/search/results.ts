/**
 * A page of search results for `/search`: the index's best hit per session, joined with what
 * `opencode.db` says of that session and its project now. A session the index still lists but
 * OpenCode has deleted is dropped from the page and forgotten by the index.
 */

import type { DiscoveryStore, Project, SessionSummary } from "../../common/discovery_types.ts";
import type { IndexProgress, SearchIndexer } from "./indexer.ts";
import type { SearchHit } from "./search_index.ts";

/** Sessions per page of results. */
export const RESULTS_PER_PAGE = 20;

export interface SearchResult {
  session: SessionSummary;
  project: Project | undefined;
  hit: SearchHit;
}

export interface SearchPage {
  query: string;
  page: number;
  results: SearchResult[];
  hasMore: boolean;
  /** Sessions matching in all, counted up to a cap (`capped`: more than `total`). */
  total: number;
  capped: boolean;
  progress: IndexProgress;
}

/**
 * Page `page` (from 1) of the sessions matching `query`.
 *
 * @example
 * ```ts
 * const { results, hasMore } = searchSessions(indexer, discovery, "login bug", 1);
 * ```
 */
export function searchSessions(
  search: Pick<SearchIndexer, "search" | "forget">,
  discovery: DiscoveryStore,
  query: string,
  page: number,
): SearchPage {
  const { hits, hasMore, total, capped, progress } = search.search(query, {
    limit: RESULTS_PER_PAGE,
    offset: (page - 1) * RESULTS_PER_PAGE,
  });
  const projects = new Map(discovery.listProjects().map((project) => [project.id, project]));
  const results: SearchResult[] = [];
  for (const hit of hits) {
    const session = discovery.getSession(hit.sessionID);
    if (!session) {
      search.forget(hit.sessionID);
      continue;
    }
    results.push({ session, project: projects.get(session.projectID), hit });
  }
  return { query, page, results, hasMore, total, capped, progress };
}
