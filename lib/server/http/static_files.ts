/**
 * Static files from `static/`, found through `import.meta.dirname` (never the working directory)
 * so they are served the same from a checkout, another folder, or a `deno compile` binary. A path
 * that would leave the folder is a 404, like a missing file.
 */

import type { Context } from "hono";
import { extname, join, normalize, sep } from "node:path";

const TYPES: Record<string, string> = {
  ".css": "text/css; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".map": "application/json; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".woff2": "font/woff2",
  ".txt": "text/plain; charset=utf-8",
};

/** The `static/` folder of this checkout or binary. */
export const STATIC_ROOT = join(import.meta.dirname ?? ".", "..", "..", "..", "static");

/**
 * A handler for `/static/*` serving files under `root`.
 *
 * @example
 * ```ts
 * app.get("/static/*", staticFiles(STATIC_ROOT));
 * ```
 */
export function staticFiles(root: string, { prefix = "/static/" } = {}) {
  const base = normalize(root) + sep;
  return async (c: Context): Promise<Response> => {
    let relative: string;
    try {
      relative = decodeURIComponent(new URL(c.req.url).pathname.slice(prefix.length));
    } catch {
      return c.notFound();
    }
    const path = normalize(join(base, relative));
    if (!path.startsWith(base) || relative.includes("\0")) return c.notFound();
    try {
      const body = await Deno.readFile(path);
      return c.body(body, 200, {
        "content-type": TYPES[extname(path)] ?? "application/octet-stream",
        // Island chunks carry a content hash in their names; other files may change.
        "cache-control": path.includes(`${sep}build${sep}`) && /-[A-Z0-9]{8}\.js$/.test(path)
          ? "public, max-age=31536000, immutable"
          : "no-cache",
      });
    } catch {
      return c.notFound();
    }
  };
}
