/**
 * The same-origin proxy: `/api/opencode/*` forwarded to the one OpenCode server with its password
 * added, streaming both ways (request bodies in, responses and SSE out, unbuffered). The browser
 * never learns the password or the server's port. Cookies, Palot's token and the browser's own
 * `authorization` header are not forwarded.
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
  "referer",
  "te",
  "transfer-encoding",
  "upgrade",
  "accept-encoding",
  "content-length",
];

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
    const answered = options.onRequest?.(c.req.raw);
    const incoming = new URL(c.req.url);
    const target = new URL(endpoint.url + incoming.pathname.slice(prefix.length) + incoming.search);
    const headers = new Headers(c.req.raw.headers);
    for (const name of HOP_HEADERS) headers.delete(name);
    headers.set("authorization", endpoint.authorization);
    // A client that goes away cancels the response body, and with it the upstream fetch.
    const abort = new AbortController();
    const timer = setTimeout(
      () => abort.abort(new Error("OpenCode did not answer in time")),
      headersTimeoutMs,
    );
    const hasBody = !["GET", "HEAD"].includes(c.req.method);
    let upstream: Response;
    try {
      upstream = await fetch(target, {
        method: c.req.method,
        headers,
        body: hasBody ? c.req.raw.body : undefined,
        redirect: "manual",
        signal: abort.signal,
      });
    } catch (error) {
      return c.json({ error: `OpenCode is unreachable: ${(error as Error).message}` }, 502);
    } finally {
      clearTimeout(timer);
      answered?.();
    }
    const responseHeaders = new Headers(upstream.headers);
    // fetch already decoded the body, so these no longer describe it.
    responseHeaders.delete("content-encoding");
    responseHeaders.delete("content-length");
    responseHeaders.delete("www-authenticate");
    if (responseHeaders.get("content-type")?.startsWith("text/event-stream")) {
      responseHeaders.set("cache-control", "no-cache");
      responseHeaders.set("x-accel-buffering", "no");
    }
    return new Response(upstream.body, { status: upstream.status, headers: responseHeaders });
  };
}
