/**
 * OpenCode's health check, `GET /global/health` with a timeout on the request: opencode can accept
 * a connection while it starts and never answer it, so no request to it may wait unbounded.
 */

/**
 * Asks `/global/health` with a timeout; resolves `undefined` on any failure.
 *
 * @example
 * ```ts
 * const health = await checkHealth("http://127.0.0.1:4101", basicAuthorization(password), 2_000);
 * if (health) console.log(`opencode ${health.version}`);
 * ```
 */
export async function checkHealth(
  url: string,
  authorization: string,
  timeoutMs: number,
): Promise<{ version: string } | undefined> {
  try {
    const response = await fetch(`${url}/global/health`, {
      headers: { authorization },
      signal: AbortSignal.timeout(timeoutMs),
    });
    if (!response.ok) {
      await response.body?.cancel();
      return undefined;
    }
    const body = await response.json() as { healthy?: boolean; version?: string };
    return body.healthy ? { version: body.version ?? "unknown" } : undefined;
  } catch {
    return undefined;
  }
}
