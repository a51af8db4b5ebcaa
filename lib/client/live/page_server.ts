/**
 * Which machine the page in this tab belongs to, from its address: `/s/<server>/...` is another
 * machine's (Settings → Servers), anything else this machine's. Links a page makes and the calls
 * it sends go to that machine's pages and API through Palot ({@linkcode pageHref},
 * {@linkcode opencodeBase}). On the server (an island rendered once there) it is this machine.
 */

import { serverApiBase, serverOfPath, serverPagePrefix } from "../../common/remote_paths.ts";

/** The page's server, or `undefined` for this machine. */
export function pageServer(): string | undefined {
  return typeof location === "undefined" ? undefined : serverOfPath(location.pathname);
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
