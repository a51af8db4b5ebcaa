/**
 * Server-side calls to the one OpenCode server, for the few actions Palot takes itself (saving an
 * API key, initialising git, MCP connect): JSON in and out, the password added, a timeout on every
 * request, and failures as an {@linkcode OpencodeApiError} whose message can be shown to the user.
 */

import type { EndpointSource } from "./endpoint.ts";

/** OpenCode was not ready, did not answer in time, or answered with an error status. */
export class OpencodeApiError extends Error {
  override name = "OpencodeApiError";
  /** OpenCode's HTTP status, or 503 when it was not reachable. */
  status: number;
  constructor(message: string, status: number) {
    super(message);
    this.status = status;
  }
}

export interface ApiRequest {
  method?: string;
  /** The project folder (`?directory=`); OpenCode's own folder when absent. */
  directory?: string;
  /** Sent as JSON. */
  body?: unknown;
  /** Longest wait in milliseconds (default 15,000). */
  timeoutMs?: number;
  /** Gives up the request early. */
  signal?: AbortSignal;
}

/**
 * Calls OpenCode at `path` and resolves with its parsed JSON answer.
 *
 * @example
 * ```ts
 * const providers = await opencodeApi(supervisor, "/provider");
 * ```
 */
export async function opencodeApi<T = unknown>(
  source: EndpointSource,
  path: string,
  { method = "GET", directory, body, timeoutMs = 15_000, signal }: ApiRequest = {},
): Promise<T> {
  const endpoint = source.endpoint();
  if (!endpoint) {
    throw new OpencodeApiError("OpenCode is still starting; try again in a moment", 503);
  }
  const url = new URL(endpoint.url + path);
  if (directory) url.searchParams.set("directory", directory);
  const headers: Record<string, string> = { authorization: endpoint.authorization };
  if (body !== undefined) headers["content-type"] = "application/json";
  let response: Response;
  try {
    response = await fetch(url, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: signal
        ? AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)])
        : AbortSignal.timeout(timeoutMs),
    });
  } catch {
    throw new OpencodeApiError("OpenCode did not answer in time; try again in a moment", 503);
  }
  const text = await response.text();
  let value: unknown = undefined;
  try {
    value = text ? JSON.parse(text) : undefined;
  } catch { /* not JSON: the status says enough */ }
  if (!response.ok) {
    const detail = value as { data?: { message?: string }; message?: string } | undefined;
    const message = detail?.data?.message ?? detail?.message ?? `status ${response.status}`;
    throw new OpencodeApiError(`OpenCode refused: ${message}`, response.status);
  }
  return value as T;
}
