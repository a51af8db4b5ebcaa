/**
 * Other machines' projects and sessions found by name, from Palot's cache of each server's API
 * (no request to any of them): for the command palette and the search page, each linking to its
 * machine's page and naming the machine. Their messages are searched through their API
 * (`remote_message_search.ts`).
 */

import type { PaletteItem } from "../../common/palette/items.ts";
import { fuzzyFilter } from "../../common/palette/fuzzy.ts";
import { remoteProjectHref, remoteSessionHref } from "../../common/remote_paths.ts";
import type { RemoteServer } from "./remote_server.ts";

/**
 * Up to `limit` projects and sessions of `servers` whose names match `query`, best first.
 *
 * @example
 * ```ts
 * remoteTitleItems(remotes.list(), "login", 5); // [{label: "Fix login", detail: "Desk · app", …}]
 * ```
 */
export function remoteTitleItems(
  servers: RemoteServer[],
  query: string,
  limit: number,
): PaletteItem[] {
  const text = query.trim();
  if (!text) return [];
  const items: PaletteItem[] = [];
  for (const server of servers) {
    const projects = server.catalog.listProjects();
    const names = new Map(projects.map((project) => [project.id, project.name]));
    for (const project of fuzzyFilter(text, projects, (each) => each.name, limit)) {
      items.push({
        id: `remote-project:${server.id}:${project.id}`,
        label: project.name,
        detail: `${server.name} · ${project.worktree}`,
        href: remoteProjectHref(server.id, project.id),
      });
    }
    const sessions = projects.flatMap((project) => server.catalog.listSessions(project.id));
    for (
      const session of fuzzyFilter(
        text,
        sessions,
        (each) => each.title || "Untitled session",
        limit,
      )
    ) {
      items.push({
        id: `remote-session:${server.id}:${session.id}`,
        label: session.title || "Untitled session",
        detail: `${server.name} · ${names.get(session.projectID) ?? session.directory}`,
        href: remoteSessionHref(server.id, session.id),
      });
    }
  }
  return items.slice(0, limit);
}
