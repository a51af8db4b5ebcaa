/**
 * Which project directory a request to OpenCode names, in one normal form: the proxy reports it to
 * the instance keeper, which keys its instances by it.
 */

import { isAbsolute, resolve } from "node:path";

/**
 * The project directory a request to OpenCode names (`?directory=` or the SDK's
 * `x-opencode-directory` header, URI-encoded), normalised; `undefined` when it names none.
 *
 * @example
 * ```ts
 * requestDirectory(new Request("http://x/agent?directory=%2Fhome%2Fme%2Fapp%2F")); // "/home/me/app"
 * ```
 */
export function requestDirectory(request: Request): string | undefined {
  const query = new URL(request.url).searchParams.get("directory");
  let value = query ?? request.headers.get("x-opencode-directory") ?? undefined;
  if (value && query === null) {
    try {
      value = decodeURIComponent(value);
    } catch { /* not encoded */ }
  }
  return normalizeDirectory(value);
}

/** An absolute directory without `..`, `.` or a trailing slash; `undefined` for anything else. */
export function normalizeDirectory(directory: string | undefined): string | undefined {
  if (!directory || !isAbsolute(directory)) return undefined;
  return resolve(directory);
}
