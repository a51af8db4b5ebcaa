/**
 * The addresses of another machine's pages and API, naming the server (Palot's id for it): one
 * source for the server's routes and the browser's links and clients.
 *
 * - `/s/<server>/project/<projectId>`, `/s/<server>/session/<sessionId>`,
 *   `/s/<server>/new?directory=<dir>`: its pages;
 * - `/api/servers/<server>/opencode/...`: its OpenCode API through Palot's proxy.
 */

/** The page prefix of a server. */
export function serverPagePrefix(server: string): string {
  return `/s/${encodeURIComponent(server)}`;
}

export function remoteProjectHref(server: string, projectId: string): string {
  return `${serverPagePrefix(server)}/project/${encodeURIComponent(projectId)}`;
}

export function remoteSessionHref(server: string, sessionId: string): string {
  return `${serverPagePrefix(server)}/session/${encodeURIComponent(sessionId)}`;
}

export function remoteNewSessionHref(server: string, directory: string): string {
  return `${serverPagePrefix(server)}/new?directory=${encodeURIComponent(directory)}`;
}

/** A session's page on its machine (`server`; none: this machine's `/session/<id>`). */
export function sessionHref(server: string | undefined, sessionId: string): string {
  return server
    ? remoteSessionHref(server, sessionId)
    : `/session/${encodeURIComponent(sessionId)}`;
}

/** The proxy through which the browser reaches a server's OpenCode API. */
export function serverApiBase(server: string): string {
  return `/api/servers/${encodeURIComponent(server)}/opencode`;
}

/**
 * The server a page belongs to, from its path (`/s/<server>/...`); `undefined` on this machine's
 * pages.
 *
 * @example
 * ```ts
 * serverOfPath("/s/desk/session/ses_1"); // "desk"
 * ```
 */
export function serverOfPath(pathname: string): string | undefined {
  const match = /^\/s\/([^/]+)\//.exec(pathname);
  return match ? decodeURIComponent(match[1]) : undefined;
}
