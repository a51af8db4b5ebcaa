/**
 * Whether an address answers as an OpenCode server with a password: `GET /global/health` with
 * Basic auth (user `opencode`) and a timeout. The answer says why not in words a user can act on:
 * refused, wrong password, not OpenCode (a web page or anything but its health JSON), or no answer
 * in time.
 */

import { basicAuthorization } from "../opencode/endpoint.ts";
import { ServerInputError } from "./server_address.ts";
import { errorText } from "../error_text.ts";

/** How long the check waits for an answer (ms). */
export const CHECK_TIMEOUT_MS = 5_000;

/**
 * Resolves with the server's version, or throws a {@linkcode ServerInputError} saying why not.
 *
 * @example
 * ```ts
 * const { version } = await checkServer("http://10.0.0.5:4096", "secret");
 * ```
 */
export async function checkServer(
  address: string,
  password: string,
  { timeoutMs = CHECK_TIMEOUT_MS }: { timeoutMs?: number } = {},
): Promise<{ version: string }> {
  let response: Response;
  try {
    response = await fetch(`${address}/global/health`, {
      headers: { authorization: basicAuthorization(password), accept: "application/json" },
      redirect: "manual",
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    const name = (error as Error).name;
    if (name === "TimeoutError" || name === "AbortError") {
      throw new ServerInputError(
        `${address} did not answer within ${
          timeoutMs / 1000
        } s: check that opencode serve runs there and that this machine can reach it`,
      );
    }
    const message = errorText(error);
    throw new ServerInputError(
      /refused/i.test(message)
        ? `${address} refused the connection: is opencode serve running there, on that port?`
        : `Cannot reach ${address}: ${message}`,
    );
  }
  const type = response.headers.get("content-type") ?? "";
  const text = await response.text().catch(() => "");
  if (response.status === 401 || response.status === 403) {
    throw new ServerInputError(
      `Wrong password for ${address}: give the OPENCODE_SERVER_PASSWORD that server was started with`,
    );
  }
  let body: { healthy?: unknown; version?: unknown } | undefined;
  try {
    body = type.includes("json") ? JSON.parse(text) : undefined;
  } catch { /* not JSON */ }
  if (!response.ok || body?.healthy !== true) {
    const what = type.includes("html") ? "a web page" : `status ${response.status}`;
    throw new ServerInputError(
      `${address} is not an OpenCode server (it answered ${what}): give the address of opencode serve`,
    );
  }
  return { version: typeof body.version === "string" ? body.version : "unknown" };
}
