/**
 * `/api/folders`: the local disk for the `Open folder` field. `complete?path=` lists the
 * sub-folders the typed path may continue into (bounded, with a timeout); `check?path=` says
 * whether it names a folder Palot can open, or why not. Same-origin and token-checked like every
 * request (the edge middleware); read-only.
 */

import { Hono } from "hono";
import { checkFolder, homeFolder } from "../../lib/server/folders/check.ts";
import { completeFolder } from "../../lib/server/folders/complete.ts";

export function folderRoutes(): Hono {
  const routes = new Hono();
  const noStore = { "cache-control": "no-store" };
  routes.get(
    "/complete",
    async (c) =>
      c.json(await completeFolder(c.req.query("path") ?? "", { home: homeFolder() }), 200, noStore),
  );
  routes.get(
    "/check",
    async (c) =>
      c.json(await checkFolder(c.req.query("path") ?? "", { home: homeFolder() }), 200, noStore),
  );
  return routes;
}
