/**
 * Security at the edge, as one Hono middleware: the `Host` check against DNS rebinding, the
 * `Origin` check against cross-site requests, and the access token required when Palot listens
 * beyond loopback. Every request passes here before any route.
 *
 * On a loopback address Palot answers only to its own loopback names (plus any `--allowed-host`),
 * so a web page cannot reach it by rebinding a domain to 127.0.0.1. Beyond loopback every request
 * needs the token, and then any `Host` will do (the names a machine is reached by are not known in
 * advance) unless `--allowed-host` narrows them.
 */

import type { MiddlewareHandler } from "hono";
import { getCookie, setCookie } from "hono/cookie";
import { isLoopback } from "../config.ts";

/** The current access token, read on every request so that it can change while Palot runs. */
export interface TokenSource {
  readonly current: string;
  /** Aborted when the token is replaced: streams opened with the old one are ended. */
  readonly signal?: AbortSignal;
}

export interface EdgeOptions {
  /** The address Palot is bound to. */
  hostname: string;
  /** The port Palot listens on (the real one, once listening, also after `--port 0`). */
  port: number;
  /** When set, every request must carry this token (cookie, `?token=` or `Authorization: Bearer`). */
  token?: string | TokenSource;
  /** `--allowed-host` names (lower case, optionally `name:port`). */
  allowedHosts?: string[];
}

export const TOKEN_COOKIE = "palot_token";

/** A `Host` value split into its name (IPv6 in brackets) and its port, if any. */
export function splitHost(host: string): { name: string; port?: string } {
  const lower = host.toLowerCase();
  const colon = lower.lastIndexOf(":");
  if (colon === -1 || lower.endsWith("]")) return { name: lower };
  return { name: lower.slice(0, colon), port: lower.slice(colon + 1) };
}

/** The `Host` values that name this machine's loopback interface, with Palot's port. */
export function loopbackHosts(hostname: string, port: number): Set<string> {
  const bound = hostname.includes(":") && !hostname.startsWith("[") ? `[${hostname}]` : hostname;
  return new Set([bound, "localhost", "127.0.0.1", "[::1]"].map((host) => `${host}:${port}`));
}

/** Which `Host` and `Origin` hosts Palot answers to. */
export interface HostPolicy {
  /** Whether a request naming `host` is answered. */
  allowsHost(host: string): boolean;
  /** Whether `host` is named outright: a loopback name with Palot's port, or `--allowed-host`. */
  lists(host: string): boolean;
}

/**
 * Decides which `Host` values Palot answers to. `--allowed-host` entries match a name on any port,
 * or, written `name:port`, on that port only.
 *
 * @example
 * ```ts
 * const policy = hostPolicy({ hostname: "127.0.0.1", port: 3100, allowedHosts: ["devbox.lan"] });
 * policy.allowsHost("devbox.lan:443"); // true
 * policy.allowsHost("evil.example:3100"); // false
 * ```
 */
export function hostPolicy(options: EdgeOptions): HostPolicy {
  const own = loopbackHosts(options.hostname, options.port);
  const allowed = options.allowedHosts ?? [];
  const anyHost = !isLoopback(options.hostname) && allowed.length === 0;
  const lists = (host: string) => {
    const lower = host.toLowerCase();
    if (own.has(lower)) return true;
    const { name } = splitHost(lower);
    return allowed.some((entry) => entry === lower || entry === name);
  };
  return { lists, allowsHost: (host) => anyHost || lists(host) };
}

/**
 * Rejects requests for a foreign `Host` (403), non-GET requests whose `Origin` is neither the
 * request's own host (in any scheme, so a TLS reverse proxy works) nor an allowed one (403), and,
 * with a token, requests without it (401). Beyond loopback the token is checked first, so a request
 * without it is told so rather than refused for its host. A first visit with `?token=` sets an
 * HttpOnly cookie and redirects to the same URL without the token.
 *
 * @example
 * ```ts
 * app.use(edge({ hostname: "0.0.0.0", port: 3100, token: "s3cret", allowedHosts: [] }));
 * ```
 */
export function edge(options: EdgeOptions): MiddlewareHandler {
  const policy = hostPolicy(options);
  const loopbackBind = isLoopback(options.hostname);
  const token = typeof options.token === "string" ? { current: options.token } : options.token;
  return async (c, next) => {
    const host = c.req.header("host") ?? "";
    const forbiddenHost = () => c.text(`Forbidden: Palot does not answer to host "${host}"`, 403);
    if (loopbackBind && !policy.allowsHost(host)) return forbiddenHost();
    const signal = token?.signal;
    if (token) {
      const url = new URL(c.req.url);
      const fromQuery = url.searchParams.get("token");
      if (fromQuery !== null && safeEqual(fromQuery, token.current)) {
        setTokenCookie(c, token.current);
        url.searchParams.delete("token");
        return c.redirect(url.pathname + url.search, 303);
      }
      const bearer = c.req.header("authorization")?.replace(/^Bearer /, "");
      const presented = getCookie(c, TOKEN_COOKIE) ?? bearer ?? "";
      if (!safeEqual(presented, token.current)) {
        return c.text("Unauthorized: open the link with ?token=… that Palot printed at start", 401);
      }
    }
    if (!policy.allowsHost(host)) return forbiddenHost();
    const origin = c.req.header("origin");
    if (origin !== undefined && !["GET", "HEAD", "OPTIONS"].includes(c.req.method)) {
      if (!sameOrListedOrigin(origin, host, policy)) {
        return c.text(`Forbidden: cross-origin request from "${origin}"`, 403);
      }
    }
    await next();
    // A stream opened with a token ends when the token is replaced (`New token` signs out).
    if (
      signal && c.res.body && c.res.headers.get("content-type")?.startsWith("text/event-stream")
    ) {
      c.res = new Response(endOnAbort(c.res.body, signal), c.res);
    }
  };
}

/** Sets the HttpOnly cookie that carries the token from then on. */
export function setTokenCookie(c: Parameters<MiddlewareHandler>[0], token: string): void {
  setCookie(c, TOKEN_COOKIE, token, { httpOnly: true, sameSite: "Strict", path: "/" });
}

/** Whether `origin` (any http(s) scheme) names the request's own host or a listed one. */
function sameOrListedOrigin(origin: string, host: string, policy: HostPolicy): boolean {
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false; // "null" and other opaque origins
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return false;
  return url.host === host.toLowerCase() || policy.lists(url.host);
}

/** `body`, ending (with an error, so the client reconnects and meets the new token) on abort. */
function endOnAbort(body: ReadableStream<Uint8Array>, signal: AbortSignal) {
  const { readable, writable } = new TransformStream<Uint8Array, Uint8Array>();
  body.pipeTo(writable, { signal }).catch(() => {});
  return readable;
}

/** Compares two strings in time independent of where they differ. */
function safeEqual(a: string, b: string): boolean {
  const left = new TextEncoder().encode(a);
  const right = new TextEncoder().encode(b);
  let difference = left.length ^ right.length;
  for (let i = 0; i < Math.max(left.length, right.length); i++) {
    difference |= (left[i] ?? 0) ^ (right[i] ?? 0);
  }
  return difference === 0;
}
