/**
 * Which machine the page in this tab belongs to, from its address: `/s/<server>/...` is another
 * machine's (Settings → Servers), anything else this machine's. Links a page makes and the calls
 * it sends go to that machine's pages and API through Palot ({@linkcode pageHref},
 * {@linkcode opencodeBase}). On the server, it is the machine whose page is being rendered.
 */

import { serverApiBase, serverOfPath, serverPagePrefix } from "../../common/remote_paths.ts";

/** The machine whose page the server is rendering now (see {@linkcode renderingFor}). */
let rendering: string | undefined;

/** The page's server, or `undefined` for this machine. */
export function pageServer(): string | undefined {
  return typeof location === "undefined" ? rendering : serverOfPath(location.pathname);
}

/**
 * Runs a synchronous server render of a page of `server`, so islands rendered there link to that
 * machine's pages as they will in the browser.
 *
 * @example
 * ```ts
 * return renderingFor(server.id, () => renderPage(<Shell>…</Shell>, options));
 * ```
 */
export function renderingFor<T>(server: string, render: () => T): T {
  const previous = rendering;
  rendering = server;
  try {
    return render();
  } finally {
    rendering = previous;
  }
}

/**
 * A page path (`/session/…`, `/project/…`, `/new?…`) on the page's machine.
 *
 * @example
 * ```ts
 * location.assign(pageHref(`/session/${id}`)); // "/s/desk/session/…" on a page of "desk"
 * ```
 */
export function pageHref(path: string): string {
  const server = pageServer();
  return server ? serverPagePrefix(server) + path : path;
}

/** The page's OpenCode API through Palot (`/api/opencode` on this machine). */
export function opencodeBase(): string {
  const server = pageServer();
  return server ? serverApiBase(server) : "/api/opencode";
}

/** One of Palot's own per-machine API paths (`/api/toolbar`), for the page's machine. */
export function palotApi(path: string): string {
  const server = pageServer();
  return server ? `/api/servers/${encodeURIComponent(server)}${path.slice("/api".length)}` : path;
}
