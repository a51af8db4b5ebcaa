/**
 * How the rest of Palot reaches the one OpenCode server: its loopback URL and the Basic
 * `authorization` header carrying the password. Only server-side code ever holds an endpoint; the
 * browser talks to Palot's same-origin proxy instead.
 */

/** The address and credentials of a running, healthy OpenCode server. */
export interface OpencodeEndpoint {
  /** For example `http://127.0.0.1:4101` (no trailing slash). */
  url: string;
  /** The `authorization` header value, `Basic base64(opencode:<password>)`. */
  authorization: string;
  /**
   * When this server process started (ms since the epoch), when known. No session can be running
   * in it that was last active before then.
   */
  startedAt?: number;
}

/** Builds the `authorization` header value for OpenCode's HTTP Basic auth (user `opencode`). */
export function basicAuthorization(password: string): string {
  return `Basic ${btoa(`opencode:${password}`)}`;
}

/** Something that knows the current endpoint: `undefined` while OpenCode is not ready. */
export interface EndpointSource {
  endpoint(): OpencodeEndpoint | undefined;
}
