/**
 * `/api/opencode`: the status of the one OpenCode server (never its password) with its live
 * per-directory instances, and under it the same-origin proxy through which the browser reaches
 * OpenCode (each request naming a directory counts as a use of its instance).
 */

import { Hono } from "hono";
import type { AppServices } from "../../lib/server/services.ts";
import { requestDirectory } from "../../lib/server/opencode/instances/request_directory.ts";
import { opencodeProxy } from "../../lib/server/opencode/proxy.ts";

export function opencodeRoutes({ supervisor, instances }: AppServices): Hono {
  const routes = new Hono();
  routes.get("/", (c) => {
    const { status, version, pid, restarts, lastError } = supervisor.snapshot();
    const live = instances?.report() ?? [];
    return c.json({ status, version, pid, restarts, lastError, instances: live }, 200, {
      "cache-control": "no-store",
    });
  });
  routes.all(
    "/*",
    opencodeProxy(supervisor, {
      onRequest: (request) => instances?.use(requestDirectory(request)),
    }),
  );
  return routes;
}
