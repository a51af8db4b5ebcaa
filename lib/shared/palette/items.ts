/**
 * What the command palette offers for a typed text: projects and sessions by name (fuzzy), a new
 * session in the best matching projects, a full-text search for the text, opening a folder and
 * switching the theme. Built on the server from discovery, so the browser downloads no list.
 */

import type { DiscoveryStore, Project, SessionSummary } from "../discovery_types.ts";
import { fuzzyFilter, fuzzyScore } from "./fuzzy.ts";

/** One choice in the palette: a link to follow, or an action the palette performs itself. */
export interface PaletteItem {
  id: string;
  label: string;
  /** A second line: the project of a session, the folder of a project. */
  detail?: string;
  href?: string;
  action?: "toggle-theme";
}

/** Sessions whose titles are matched (the most recently updated). */
const SESSION_POOL = 3_000;
/** How long the session titles are reused between keystrokes. */
const POOL_MS = 2_000;

let pool: { at: number; discovery: DiscoveryStore; sessions: SessionSummary[] } | undefined;

function recentSessions(discovery: DiscoveryStore): SessionSummary[] {
  const now = Date.now();
  if (!pool || pool.discovery !== discovery || now - pool.at > POOL_MS) {
    pool = { at: now, discovery, sessions: discovery.recentSessions(SESSION_POOL) };
  }
  return pool.sessions;
}

const projectHref = (project: Project) => `/project/${encodeURIComponent(project.id)}`;

/**
 * The palette's items for `query`, best first.
 *
 * @example
 * ```ts
 * paletteItems(discovery, "fxlgn"); // [{label: "Fix login", href: "/session/ses_…"}, …]
 * ```
 */
export function paletteItems(discovery: DiscoveryStore, query: string): PaletteItem[] {
  const text = query.trim();
  const projects = discovery.listProjects();
  const projectNames = new Map(projects.map((project) => [project.id, project.name]));
  const matchedProjects = fuzzyFilter(text, projects, (project) => project.name, 5);
  const matchedSessions = fuzzyFilter(
    text,
    recentSessions(discovery),
    (session) => session.title || "Untitled session",
    8,
  );
  const items: PaletteItem[] = [
    ...matchedSessions.map((session) => ({
      id: `session:${session.id}`,
      label: session.title || "Untitled session",
      detail: projectNames.get(session.projectID) ?? session.directory,
      href: `/session/${encodeURIComponent(session.id)}`,
    })),
    ...matchedProjects.map((project) => ({
      id: `project:${project.id}`,
      label: project.name,
      detail: project.worktree,
      href: projectHref(project),
    })),
    ...matchedProjects.slice(0, 2).map((project) => ({
      id: `new:${project.id}`,
      label: `New session in ${project.name}`,
      href: `${projectHref(project)}/new`,
    })),
  ];
  if (text) {
    items.unshift({
      id: "search",
      label: `Search messages for “${text}”`,
      href: `/search?q=${encodeURIComponent(text)}`,
    });
  }
  const actions: PaletteItem[] = [
    { id: "open-folder", label: "Open folder", href: "/#open-folder" },
    { id: "theme", label: "Toggle theme", action: "toggle-theme" },
  ];
  items.push(...actions.filter((action) => !text || fuzzyScore(text, action.label) > -Infinity));
  return items;
}
