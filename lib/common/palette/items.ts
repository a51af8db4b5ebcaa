/**
 * What the command palette offers for a typed text: projects and sessions by name (fuzzy), a new
 * session in the best matching projects, a full-text search for the text, opening a folder and
 * switching the theme. Built on the server from discovery, so the browser downloads no list, and
 * bounded however many sessions there are: the sessions matched are the recent ones (a bounded
 * read) and those whose titles have the typed words (`titleMatches`, from the search index, at
 * most {@linkcode TITLE_MATCHES}).
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

/** Recent sessions whose titles are matched (the most recently updated). */
const SESSION_POOL = 500;
/** Sessions asked for by the typed words, besides the recent ones. */
export const TITLE_MATCHES = 50;

/** Sessions whose titles have the words of `text`, at most `limit` (bounded). */
export type TitleMatches = (text: string, limit: number) => SessionSummary[];
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
 * The palette's items for `query`, best first: the projects, sessions and actions whose names match
 * (a project before a session of the same score), with `Search messages for …` right below the
 * best match (first when nothing matches, so Enter searches), then new sessions in the best
 * matching projects. Without a query: recent sessions, projects, then the actions.
 *
 * @example
 * ```ts
 * paletteItems(discovery, "fxlgn"); // [{label: "Fix login", href: "/session/ses_…"}, …]
 * ```
 */
export function paletteItems(
  discovery: DiscoveryStore,
  query: string,
  titleMatches?: TitleMatches,
): PaletteItem[] {
  const text = query.trim();
  const recent = recentSessions(discovery);
  const recentIds = new Set(recent.map((session) => session.id));
  const candidates = text && titleMatches
    ? [...recent, ...titleMatches(text, TITLE_MATCHES).filter(({ id }) => !recentIds.has(id))]
    : recent;
  const projects = discovery.listProjects();
  const projectNames = new Map(projects.map((project) => [project.id, project.name]));
  const matchedProjects = fuzzyFilter(text, projects, (project) => project.name, 5);
  const matchedSessions = fuzzyFilter(
    text,
    candidates,
    (session) => session.title || "Untitled session",
    8,
  );
  const actions: PaletteItem[] = [
    { id: "open-folder", label: "Open folder", href: "/#open-folder" },
    { id: "theme", label: "Toggle theme", action: "toggle-theme" },
  ];
  /** A project wins a tie with a session: its name is what was typed more often than not. */
  const PROJECT_EDGE = 0.5;
  const named = [
    ...matchedSessions.map((session) => ({
      score: fuzzyScore(text, session.title || "Untitled session"),
      item: {
        id: `session:${session.id}`,
        label: session.title || "Untitled session",
        detail: projectNames.get(session.projectID) ?? session.directory,
        href: `/session/${encodeURIComponent(session.id)}`,
      },
    })),
    ...matchedProjects.map((project) => ({
      score: fuzzyScore(text, project.name) + (text ? PROJECT_EDGE : 0),
      item: {
        id: `project:${project.id}`,
        label: project.name,
        detail: project.worktree,
        href: projectHref(project),
      } as PaletteItem,
    })),
    ...actions.map((item) => ({ score: fuzzyScore(text, item.label), item }))
      .filter(({ score }) => score > -Infinity)
      .map(({ score, item }) => ({ score: text ? score : -1e9, item })),
  ];
  // A stable sort: without a query every score ties and the order above stands.
  const items: PaletteItem[] = named.sort((a, b) => b.score - a.score).map(({ item }) => item);
  if (text) {
    items.splice(Math.min(1, items.length), 0, {
      id: "search",
      label: `Search messages for “${text}”`,
      href: `/search?q=${encodeURIComponent(text)}`,
    });
  }
  const newSessions = matchedProjects.slice(0, 2).map((project) => ({
    id: `new:${project.id}`,
    label: `New session in ${project.name}`,
    href: `${projectHref(project)}/new`,
  }));
  const firstAction = items.findIndex((item) => item.id === "open-folder" || item.id === "theme");
  items.splice(text || firstAction < 0 ? items.length : firstAction, 0, ...newSessions);
  return items;
}
