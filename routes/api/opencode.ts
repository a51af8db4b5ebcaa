/**
 * `/api/opencode`: the status of the one OpenCode server (never its password) with its live
 * per-directory instances, and under it the same-origin proxy through which the browser reaches
 * OpenCode: only the paths of the allow-list ({@linkcode PROXIED_API}), each with a body limit
 * checked before the body is read (413). Each request naming a directory counts as a use of its
 * instance. Anything else answers 404 and never reaches OpenCode.
 */

import { Hono } from "hono";
import type { AppServices } from "../../lib/server/services.ts";
import { requestDirectory } from "../../lib/server/opencode/instances/request_directory.ts";
import { opencodeProxy } from "../../lib/server/opencode/proxy.ts";
import { limitBody } from "../../lib/server/http/body_limit.ts";
import {
  MESSAGE_BODY_LIMIT,
  MESSAGE_PATHS,
  PROXIED_API,
  SMALL_BODY_LIMIT,
} from "../../lib/server/opencode/proxied_api.ts";

export function opencodeRoutes({ supervisor, instances, accessToken }: AppServices): Hono {
  const routes = new Hono();
  routes.get("/", (c) => {
    const { status, version, pid, restarts, lastError } = supervisor.snapshot();
    const live = instances?.report() ?? [];
    return c.json({ status, version, pid, restarts, lastError, instances: live }, 200, {
      "cache-control": "no-store",
    });
  });
  const proxy = opencodeProxy(supervisor, {
    onRequest: (request) => instances?.use(requestDirectory(request)),
    closeOn: () => accessToken?.signal,
  });
  for (const [method, paths] of Object.entries(PROXIED_API)) {
    for (const path of paths) {
      const maxSize = MESSAGE_PATHS.includes(path) ? MESSAGE_BODY_LIMIT : SMALL_BODY_LIMIT;
      routes.on(method, path, limitBody(maxSize), proxy);
    }
  }
  routes.all("/*", (c) =>
    c.json({
      error: `Palot does not pass ${c.req.method} ${
        c.req.path.slice("/api/opencode".length)
      } to OpenCode: only the API its pages use (see lib/server/opencode/proxied_api.ts)`,
    }, 404));
  return routes;
}
