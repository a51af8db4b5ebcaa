/**
 * The same-origin proxy: `/api/opencode/*` forwarded to the one OpenCode server with its password
 * added, streaming both ways (request bodies in, responses and SSE out, unbuffered). The browser
 * never learns the password or the server's port. Cookies, Palot's token, the browser's own
 * `authorization`, hop-by-hop headers (`proxy-authorization`, `trailer`, those named in
 * `Connection`…) are not forwarded. A reader of a GET (or an event stream) that goes away cancels
 * the upstream request; a POST, PUT, PATCH or DELETE runs to its end even if the tab closes (some,
 * like `session.command`, answer only when the turn ends). WebSocket upgrades (the terminal's
 * `/pty/{id}/connect`) are relayed both ways, and closed when `closeOn`'s signal aborts (a new
 * access token). Which paths reach it is decided by the caller (`routes/api/opencode.ts`, from the
 * allow-list in `proxied_api.ts`).
 *
 * No answer from OpenCode is active content on Palot's origin: every answer carries
 * `X-Content-Type-Options: nosniff` and `Content-Security-Policy: sandbox`, cookies are dropped,
 * and anything but JSON or an event stream is served as a download (`Content-Disposition:
 * attachment`), as `text/plain` or `application/octet-stream`, never as HTML, SVG or script.
 *
 * Not `hono/proxy`: it ties the upstream request to the browser's (its body streamed, its signal
 * passed on), where a write here must outlive a closed tab; it strips fewer request headers than
 * OpenCode must not see (cookies, Palot's token, `Origin`, `Referer`) and does not relay
 * WebSockets. What it would add over this (hop-by-hop lists, `Connection`) is the small part.
 */

import type { Context } from "hono";
import type { EndpointSource } from "./endpoint.ts";

/** Request headers that belong to the hop between the browser and Palot, not to OpenCode. */
const HOP_HEADERS = [
  "authorization",
  "connection",
  "cookie",
  "host",
  "keep-alive",
  "origin",
  "proxy-authorization",
  "proxy-authenticate",
  "referer",
  "te",
  "trailer",
  "transfer-encoding",
  "upgrade",
  "accept-encoding",
  "content-length",
];

/** Response headers that must not reach the browser (hop-by-hop, or no longer true). */
const RESPONSE_DROPPED = [
  "connection",
  "keep-alive",
  "proxy-authenticate",
  "trailer",
  "transfer-encoding",
  "upgrade",
  // fetch already decoded the body, so these no longer describe it.
  "content-encoding",
  "content-length",
  "www-authenticate",
  // OpenCode has no business setting cookies on Palot's origin.
  "set-cookie",
];

/** Removes `names` and every header the `Connection` header names (hop-by-hop by declaration). */
function dropHopHeaders(headers: Headers, names: string[]): Headers {
  for (const name of (headers.get("connection") ?? "").split(",")) {
    const trimmed = name.trim();
    if (trimmed) headers.delete(trimmed);
  }
  for (const name of names) headers.delete(name);
  return headers;
}

/** Methods whose request is only a read: a reader that goes away cancels it. */
const READS = new Set(["GET", "HEAD", "OPTIONS"]);

export interface ProxyOptions {
  /** Path prefix to strip (default `/api/opencode`). */
  prefix?: string;
  /** Longest wait for OpenCode's response headers (default 10 minutes: a synchronous prompt answers when done). */
  headersTimeoutMs?: number;
  /**
   * Called with each request forwarded to OpenCode (the instance keeper notes its directory); the
   * function it may return is called once OpenCode has answered (or failed to).
   */
  onRequest?: (request: Request) => (() => void) | void;
  /** A WebSocket relayed while this signal holds is closed when it aborts (a new access token). */
  closeOn?: () => AbortSignal | undefined;
}

/**
 * A Hono handler forwarding to OpenCode.
 *
 * @example
 * ```ts
 * app.all("/api/opencode/*", opencodeProxy(supervisor));
 * ```
 */
export function opencodeProxy(source: EndpointSource, options: ProxyOptions = {}) {
  const prefix = options.prefix ?? "/api/opencode";
  const headersTimeoutMs = options.headersTimeoutMs ?? 600_000;
  return async (c: Context): Promise<Response> => {
    const endpoint = source.endpoint();
    if (!endpoint) {
      return c.json({ error: "OpenCode is not ready yet; try again in a moment" }, 503, {
        "retry-after": "1",
      });
    }
    const incoming = new URL(c.req.url);
    const path = incoming.pathname.slice(prefix.length);
    const target = new URL(endpoint.url + path + incoming.search);
    if (c.req.header("upgrade")?.toLowerCase() === "websocket") {
      return relayWebSocket(c.req.raw, target, endpoint.authorization, options.closeOn?.());
    }
    const answered = options.onRequest?.(c.req.raw);
    const headers = dropHopHeaders(new Headers(c.req.raw.headers), HOP_HEADERS);
    headers.set("authorization", endpoint.authorization);
    const abort = new AbortController();
    const timer = setTimeout(
      () => abort.abort(new Error("OpenCode did not answer in time")),
      headersTimeoutMs,
    );
    // A read is cancelled with its reader; a write that starts work runs to its end.
    const reading = READS.has(c.req.method);
    const cancelRead = () => abort.abort(new Error("The client went away"));
    if (reading) c.req.raw.signal.addEventListener("abort", cancelRead, { once: true });
    let upstream: Response;
    try {
      // A write's body is read whole first: streamed, it would tie the upstream request to the
      // browser's connection, and a closed tab would cut the work short.
      const body = reading ? undefined : await c.req.raw.arrayBuffer();
      upstream = await fetch(target, {
        method: c.req.method,
        headers,
        body,
        redirect: "manual",
        signal: abort.signal,
      });
    } catch (error) {
      return c.json({ error: `OpenCode is unreachable: ${(error as Error).message}` }, 502);
    } finally {
      clearTimeout(timer);
      answered?.();
      c.req.raw.signal.removeEventListener("abort", cancelRead);
    }
    const responseHeaders = asData(dropHopHeaders(new Headers(upstream.headers), RESPONSE_DROPPED));
    // A client that goes away cancels this body, and with it the upstream response.
    return new Response(upstream.body, { status: upstream.status, headers: responseHeaders });
  };
}

/**
 * `headers` made safe on Palot's origin: JSON and event streams as they are, text as a `text/plain`
 * download, anything else (HTML, SVG, XML, script, images) as an `application/octet-stream`
 * download; none of it sniffed, run or framed with Palot's rights.
 */
export function asData(headers: Headers): Headers {
  const type = (headers.get("content-type") ?? "").toLowerCase();
  const essence = type.split(";")[0].trim();
  if (essence === "text/event-stream") {
    headers.set("cache-control", "no-cache");
    headers.set("x-accel-buffering", "no");
  } else if (essence !== "application/json" && !essence.endsWith("+json")) {
    headers.set(
      "content-type",
      essence === "text/plain" ? "text/plain; charset=utf-8" : "application/octet-stream",
    );
    headers.set("content-disposition", "attachment");
  }
  headers.set("x-content-type-options", "nosniff");
  headers.set("content-security-policy", "sandbox; default-src 'none'");
  return headers;
}

/**
 * Relays a WebSocket between the browser and OpenCode (with the password on the upstream
 * handshake): messages both ways, and a close on either side (or `closeOn` aborting) closes the
 * other. Nothing that passes is logged: a terminal's bytes are the user's.
 */
function relayWebSocket(
  request: Request,
  target: URL,
  authorization: string,
  closeOn?: AbortSignal,
): Response {
  const { socket: client, response } = Deno.upgradeWebSocket(request);
  // An OpenCode behind TLS (another machine) is reached with wss.
  target.protocol = target.protocol === "https:" ? "wss:" : "ws:";
  // Deno's WebSocket takes handshake headers (non-standard; the DOM typings do not know them).
  const upstream = new WebSocket(target, { headers: { authorization } } as unknown as string[]);
  upstream.binaryType = "arraybuffer";
  const pending: (string | ArrayBuffer | Blob)[] = [];
  const closeBoth = (code = 1000, reason = "") => {
    for (const socket of [client, upstream]) {
      if (socket.readyState === WebSocket.OPEN || socket.readyState === WebSocket.CONNECTING) {
        try {
          socket.close(code === 1005 || code === 1006 ? 1000 : code, reason);
        } catch { /* already closing */ }
      }
    }
  };
  upstream.onopen = () => {
    for (const data of pending.splice(0)) upstream.send(data);
  };
  upstream.onmessage = (event) => {
    if (client.readyState === WebSocket.OPEN) client.send(event.data);
  };
  client.onmessage = (event) => {
    if (upstream.readyState === WebSocket.OPEN) upstream.send(event.data);
    else pending.push(event.data);
  };
  // OpenCode gone without a closing handshake (killed, restarted) is not a normal end.
  upstream.onclose = (event) =>
    event.code === 1006
      ? closeBoth(1011, "OpenCode closed the connection")
      : closeBoth(event.code, event.reason);
  client.onclose = (event) => closeBoth(event.code, event.reason);
  upstream.onerror = () => closeBoth(1011, "OpenCode closed the connection");
  client.onerror = () => closeBoth();
  const signOut = () => closeBoth(1008, "Signed out: Palot's token was replaced");
  if (closeOn?.aborted) signOut();
  else closeOn?.addEventListener("abort", signOut, { once: true });
  return response;
}
