/**
 * Static files from `static/`, served by Hono's `serveStatic` (`hono/deno`: its successor
 * `@hono/deno` is on JSR, which is out of reach here) from a root found through
 * `import.meta.dirname` (never the working directory), so they are served the same from a
 * checkout, another folder, or a `deno compile` binary. A path that would leave the folder is a
 * 404, like a missing file. Island chunks, whose names carry a content hash, are cached for good;
 * everything else is revalidated.
 */

import type { MiddlewareHandler } from "hono";
import { serveStatic } from "hono/deno";
import { join } from "node:path";

/** The `static/` folder of this checkout or binary. */
export const STATIC_ROOT = join(import.meta.dirname ?? ".", "..", "..", "..", "static");

/** A built island chunk: `static/build/<name>-<HASH>.js`. */
const HASHED_CHUNK = /\/build\/[^/]*-[A-Z0-9]{8}\.js$/;

/**
 * A middleware for `/static/*` serving files under `root` (others fall through to a 404).
 *
 * @example
 * ```ts
 * app.use("/static/*", staticFiles(STATIC_ROOT));
 * ```
 */
export function staticFiles(root: string, { prefix = "/static/" } = {}): MiddlewareHandler {
  const serve = serveStatic({
    root,
    rewriteRequestPath: (path) => path.slice(prefix.length - 1),
    onFound: (path, c) => {
      c.header(
        "cache-control",
        HASHED_CHUNK.test(path) ? "public, max-age=31536000, immutable" : "no-cache",
      );
    },
  });
  // A NUL byte is refused here: `serveStatic` would try to open it and log a warning.
  return (c, next) => /%00|\0/.test(c.req.url) ? Promise.resolve(c.notFound()) : serve(c, next);
}
