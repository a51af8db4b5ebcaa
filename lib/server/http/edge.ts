/**
 * Security at the edge, as one Hono middleware: the `Host` check against DNS rebinding, the access
 * token required when Palot listens beyond loopback (with a limit on guessing it), and the refusal
 * of anything another site asks for ({@linkcode crossSiteRefusal}). Every request, WebSocket
 * upgrades included, passes here before any route. `docs/security.md` has the threat model.
 *
 * On a loopback address Palot answers only to its own loopback names (plus any `--allowed-host`),
 * so a web page cannot reach it by rebinding a domain to 127.0.0.1. Beyond loopback every request
 * needs the token, and then any `Host` will do (the names a machine is reached by are not known in
 * advance) unless `--allowed-host` narrows them.
 */

import type { Context, MiddlewareHandler } from "hono";
import { getCookie, setCookie } from "hono/cookie";
import { isLoopback } from "../config.ts";
import type { AccessToken } from "./access_token.ts";
import { crossSiteRefusal, crossSiteRefusalPage } from "./cross_site.ts";
import { SignInThrottle } from "./sign_in_throttle.ts";

/** The access token as the edge uses it (an {@linkcode AccessToken}). */
export type TokenSource = Pick<
  AccessToken,
  "matches" | "startSession" | "hasSession" | "signal"
>;

export interface EdgeOptions {
  /** The address Palot is bound to. */
  hostname: string;
  /** The port Palot listens on (the real one, once listening, also after `--port 0`). */
  port: number;
  /**
   * When set, every request must carry this token (`?token=`, which signs the browser in with a
   * session cookie, or `Authorization: Bearer`) or a sign-in session's cookie.
   */
  token?: TokenSource;
  /** Limits wrong tokens per client (default: 10 a minute). */
  throttle?: SignInThrottle;
  /** `--allowed-host` names (lower case, optionally `name:port`). */
  allowedHosts?: string[];
}

/**
 * The name of the sign-in session's cookie. A cookie goes to every port of its host, so the name
 * carries Palot's port: two Palots on one host keep their sign-ins apart.
 */
export function sessionCookieName(port: number): string {
  return `palot_session_${port}`;
}

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

/** Which `Host` values Palot answers to, and which origins are its own. */
export interface HostPolicy {
  /** Whether a request naming `host` is answered. */
  allowsHost(host: string): boolean;
  /**
   * Whether a page at `origin` is Palot's own for a request that named `host`: the same host and
   * port (http or https, so a TLS reverse proxy works), a loopback name with Palot's port, or an
   * `--allowed-host` (a name without a port stands for the default ports only).
   */
  ownsOrigin(origin: string, host: string): boolean;
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
  const ownsOrigin = (origin: string, host: string) => {
    let url: URL;
    try {
      url = new URL(origin);
    } catch {
      return false; // "null" and other opaque origins
    }
    if (url.protocol !== "http:" && url.protocol !== "https:") return false;
    // A path, a query or credentials: not an origin.
    if (url.username || url.pathname !== "/" || url.search || origin.endsWith("/")) return false;
    return url.host === host.toLowerCase() || own.has(url.host) || allowed.includes(url.host);
  };
  return { allowsHost: (host) => anyHost || lists(host), ownsOrigin };
}

/**
 * Rejects requests for a foreign `Host` (403); with a token, requests without a valid credential
 * (401), and clients that guessed wrong too often (429); then anything another site asks for
 * (403, see {@linkcode crossSiteRefusal}). Beyond loopback the token is checked first, so a request
 * without it is told so rather than refused for its host. A visit with a valid `?token=` starts a
 * sign-in session (an HttpOnly cookie, never the token itself) and redirects to the same path
 * without the token.
 *
 * @example
 * ```ts
 * app.use(edge({ hostname: "0.0.0.0", port: 3100, token: new AccessToken(token) }));
 * ```
 */
export function edge(options: EdgeOptions): MiddlewareHandler {
  const policy = hostPolicy(options);
  const loopbackBind = isLoopback(options.hostname);
  const token = options.token;
  const throttle = options.throttle ?? new SignInThrottle();
  const cookieName = sessionCookieName(options.port);
  return async (c, next) => {
    const host = c.req.header("host") ?? "";
    const forbiddenHost = () => c.text(`Forbidden: Palot does not answer to host "${host}"`, 403);
    if (loopbackBind && !policy.allowsHost(host)) return forbiddenHost();
    if (token) {
      const refused = await signIn(c, token, throttle, cookieName);
      if (refused) return refused;
    }
    if (!policy.allowsHost(host)) return forbiddenHost();
    const crossSite = crossSiteRefusal(c.req.raw, (origin) => policy.ownsOrigin(origin, host));
    if (crossSite) return crossSiteRefusalPage(c, crossSite);
    await next();
    // A stream opened with a token ends when the token is replaced (`New token` signs out).
    if (
      token && c.res.body && c.res.headers.get("content-type")?.startsWith("text/event-stream")
    ) {
      c.res = new Response(endOnAbort(c.res.body, token.signal), c.res);
    }
  };
}

/**
 * Checks the request's credential: a sign-in session's cookie, else `?token=` or
 * `Authorization: Bearer`; a valid one wins over a stale one. Answers the response that ends the
 * request (a refusal, or the redirect after signing in with `?token=`), or nothing to go on.
 */
async function signIn(
  c: Context,
  token: TokenSource,
  throttle: SignInThrottle,
  cookieName: string,
): Promise<Response | undefined> {
  const url = new URL(c.req.url);
  const fromLink = url.searchParams.get("token");
  const signedIn = await token.hasSession(getCookie(c, cookieName) ?? "");
  if (signedIn && fromLink === null) return undefined;
  const bearer = /^Bearer (.+)$/.exec(c.req.header("authorization") ?? "")?.[1];
  const presented = fromLink ?? bearer;
  if (presented === undefined) {
    return c.text("Unauthorized: open the link with ?token=… that Palot printed at start", 401);
  }
  const client = clientAddress(c);
  const wait = throttle.retryAfter(client);
  if (wait > 0) {
    return c.text(`Too many wrong tokens: try again in ${wait} s`, 429, {
      "retry-after": String(wait),
    });
  }
  if (!(await token.matches(presented))) {
    throttle.fail(client);
    if (signedIn && fromLink !== null) return withoutToken(c, url); // a stale link, signed in
    return c.text("Unauthorized: the token is wrong; open the link Palot printed at start", 401);
  }
  if (fromLink === null) return undefined;
  if (!signedIn) setSessionCookie(c, cookieName, await token.startSession());
  return withoutToken(c, url);
}

/** A redirect to `url`'s path on Palot's own origin, without `?token=`. */
function withoutToken(c: Context, url: URL): Response {
  url.searchParams.delete("token");
  // One leading slash: `//evil.example/x` would be another site's address.
  return c.redirect("/" + url.pathname.replace(/^[/\\]+/, "") + url.search, 303);
}

/** The address of the client that sent the request (Deno.serve's connection info). */
function clientAddress(c: Context): string {
  const info = c.env as Deno.ServeHandlerInfo<Deno.NetAddr> | undefined;
  return info?.remoteAddr?.hostname ?? "unknown";
}

/** Sets the HttpOnly cookie that carries a sign-in session from then on. */
export function setSessionCookie(c: Context, name: string, session: string): void {
  setCookie(c, name, session, { httpOnly: true, sameSite: "Strict", path: "/" });
}

/** `body`, ended at once (cleanly: the browser reconnects and meets the new token) on abort. */
function endOnAbort(body: ReadableStream<Uint8Array>, signal: AbortSignal) {
  const reader = body.getReader();
  const end = () => reader.cancel().catch(() => {});
  return new ReadableStream<Uint8Array>({
    start(controller) {
      const close = () => {
        end();
        try {
          controller.close();
        } catch { /* already closed */ }
      };
      if (signal.aborted) close();
      else signal.addEventListener("abort", close, { once: true });
    },
    async pull(controller) {
      try {
        const { done, value } = await reader.read();
        if (done) controller.close();
        else controller.enqueue(value);
      } catch {
        try {
          controller.close();
        } catch { /* already closed */ }
      }
    },
    cancel: end,
  });
}
