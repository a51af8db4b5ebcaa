/**
 * What another site may ask of Palot: nothing but to open its home page. Palot's pages are a shell
 * on the user's machine (a terminal, any folder's agents and plugins), and a page on another site,
 * or on another port of the same host, runs in the same browser. The browser says where a request
 * comes from (`Origin`, and the Fetch Metadata header `Sec-Fetch-Site`); this decides from them:
 *
 * - an `Origin` that is not Palot's own is refused, whatever the method (a cross-site `fetch`, a
 *   form posted from another page);
 * - a WebSocket upgrade must carry Palot's own `Origin` (browsers always send one; a WebSocket is
 *   not bound by the same-origin policy, so this is its only guard);
 * - a request the browser marks `cross-site` or `same-site` (another port of the host is the same
 *   site) is refused, except a plain navigation to `/`: a link to Palot from elsewhere opens the
 *   home page, never a page or an API call that starts work (boots OpenCode in a folder, runs its
 *   plugins).
 *
 * Requests without these headers (curl, scripts, the tests) come from a process of the user's own,
 * which is trusted (see `docs/security.md`).
 */

import type { Context } from "hono";

/** Why a request is refused, for the user; `undefined` when it may go on. */
export interface CrossSiteRefusal {
  reason: string;
  /** A navigation (the user sees a page, which offers Palot's home page instead). */
  navigation: boolean;
}

/**
 * The refusal for a request another site sent, or `undefined` for one of Palot's own.
 *
 * @example
 * ```ts
 * crossSiteRefusal(request, (origin) => origin === "http://127.0.0.1:3100");
 * ```
 */
export function crossSiteRefusal(
  request: Request,
  ownsOrigin: (origin: string) => boolean,
): CrossSiteRefusal | undefined {
  const headers = request.headers;
  const navigation = headers.get("sec-fetch-mode") === "navigate";
  const origin = headers.get("origin");
  if (origin !== null && !ownsOrigin(origin)) {
    return { reason: `a request from another site ("${origin}")`, navigation };
  }
  if (headers.get("upgrade")?.toLowerCase() === "websocket" && origin === null) {
    return { reason: "a WebSocket that does not say which page opened it", navigation: false };
  }
  const site = headers.get("sec-fetch-site");
  if (site === "cross-site" || site === "same-site") {
    const home = navigation && request.method === "GET" && new URL(request.url).pathname === "/";
    if (!home) return { reason: "a request from another site", navigation };
  }
  return undefined;
}

/** The 403 answer to a refused request: a short page for a navigation, plain text otherwise. */
export function crossSiteRefusalPage(c: Context, refusal: CrossSiteRefusal): Response {
  if (!refusal.navigation) return c.text(`Forbidden: ${refusal.reason}`, 403);
  return c.html(
    `<!doctype html><html lang="en"><meta charset="utf-8"><title>Opened from another site · Palot</title>` +
      `<meta name="viewport" content="width=device-width, initial-scale=1">` +
      `<body style="font: 16px/1.5 system-ui, sans-serif; max-width: 36rem; margin: 4rem auto; padding: 0 1rem">` +
      `<h1>Opened from another site</h1>` +
      `<p>Another site sent your browser to this address of Palot. Palot opens nothing for another ` +
      `site but its home page, so that no web page can start work on your machine.</p>` +
      `<p><a href="/">Open Palot's home page</a></p></body></html>`,
    403,
    { "content-security-policy": "default-src 'none'; style-src 'unsafe-inline'" },
  );
}
