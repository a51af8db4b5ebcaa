/**
 * Security at the edge, as one Hono middleware: the `Host` check against DNS rebinding, the
 * `Origin` check against cross-site requests, and the access token required when Palot listens
 * beyond loopback. Every request passes here before any route.
 */

import type { MiddlewareHandler } from "hono";
import { getCookie, setCookie } from "hono/cookie";

export interface EdgeOptions {
  /** The address Palot is bound to. */
  hostname: string;
  /** The port Palot listens on. */
  port: number;
  /** When set, every request must carry this token (cookie, `?token=` or `Authorization: Bearer`). */
  token?: string;
}

export const TOKEN_COOKIE = "palot_token";

/** The `Host` values Palot answers to: the bound address and the loopback names, with the port. */
export function allowedHosts(hostname: string, port: number): Set<string> {
  const bound = hostname.includes(":") && !hostname.startsWith("[") ? `[${hostname}]` : hostname;
  return new Set([bound, "localhost", "127.0.0.1", "[::1]"].map((host) => `${host}:${port}`));
}

/**
 * Rejects requests for a foreign `Host` (403), non-GET requests from a foreign `Origin` (403), and,
 * with a token, requests without it (401). A first visit with `?token=` sets an HttpOnly cookie and
 * redirects to the same URL without the token.
 *
 * @example
 * ```ts
 * app.use(edge({ hostname: "127.0.0.1", port: 3100 }));
 * ```
 */
export function edge(options: EdgeOptions): MiddlewareHandler {
  const hosts = allowedHosts(options.hostname, options.port);
  const origins = new Set([...hosts].map((host) => `http://${host}`));
  return async (c, next) => {
    const host = c.req.header("host") ?? "";
    if (!hosts.has(host.toLowerCase())) {
      return c.text(`Forbidden: Palot does not answer to host "${host}"`, 403);
    }
    const origin = c.req.header("origin");
    if (origin !== undefined && !["GET", "HEAD", "OPTIONS"].includes(c.req.method)) {
      if (!origins.has(origin.toLowerCase())) {
        return c.text(`Forbidden: cross-origin request from "${origin}"`, 403);
      }
    }
    if (options.token) {
      const url = new URL(c.req.url);
      const fromQuery = url.searchParams.get("token");
      if (fromQuery !== null && safeEqual(fromQuery, options.token)) {
        setCookie(c, TOKEN_COOKIE, options.token, {
          httpOnly: true,
          sameSite: "Strict",
          path: "/",
        });
        url.searchParams.delete("token");
        return c.redirect(url.pathname + url.search, 303);
      }
      const bearer = c.req.header("authorization")?.replace(/^Bearer /, "");
      const presented = getCookie(c, TOKEN_COOKIE) ?? bearer ?? "";
      if (!safeEqual(presented, options.token)) {
        return c.text("Unauthorized: open the link with ?token=… that Palot printed at start", 401);
      }
    }
    await next();
  };
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
