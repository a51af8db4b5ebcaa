/**
 * `/api/opencode`: the status of the one OpenCode server (never its password), and under it the
 * same-origin proxy through which the browser reaches OpenCode.
 */

import { Hono } from "hono";
import type { AppServices } from "../../lib/app.ts";
import { opencodeProxy } from "../../lib/opencode/proxy.ts";

export function opencodeRoutes({ supervisor }: AppServices): Hono {
  const routes = new Hono();
  routes.get("/", (c) => {
    const { status, version, pid, restarts, lastError } = supervisor.snapshot();
    return c.json({ status, version, pid, restarts, lastError }, 200, {
      "cache-control": "no-store",
    });
  });
  routes.all("/*", opencodeProxy(supervisor));
  return routes;
}
