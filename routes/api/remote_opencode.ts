/**
 * `/api/servers/:server/opencode`: the same-origin proxy to another machine's OpenCode server (its
 * password added here, never sent to the browser), with exactly the allow-list and body limits of
 * this machine's (`/api/opencode`, {@linkcode PROXIED_API}) and behind the same edge checks (Host,
 * token, Origin). An unknown server answers 404; one that is down answers 502 with why, at once or
 * after the proxy's timeout, never holding a page.
 */

import { Hono } from "hono";
import { remotePrompts } from "../../lib/server/remote/remote_prompts.ts";
import { PROMPT_HISTORY } from "./prompts.ts";
import type { AppServices } from "../../lib/server/services.ts";
import { opencodeProxy } from "../../lib/server/opencode/proxy.ts";
import { limitBody } from "../../lib/server/http/body_limit.ts";
import {
  MESSAGE_BODY_LIMIT,
  MESSAGE_PATHS,
  PROXIED_API,
  SMALL_BODY_LIMIT,
} from "../../lib/server/opencode/proxied_api.ts";
import { serverApiBase } from "../../lib/common/remote_paths.ts";

export function remoteOpencodeRoutes({ remotes, accessToken }: AppServices): Hono {
  const routes = new Hono();
  const proxy = (c: Parameters<ReturnType<typeof opencodeProxy>>[0]) => {
    const id = c.req.param("server") ?? "";
    const server = remotes?.get(id);
    if (!server) {
      return c.json({ error: `No server "${id}": add it in Settings → Servers` }, 404);
    }
    return opencodeProxy(server, {
      prefix: serverApiBase(id),
      // A chat's synchronous calls answer when the turn ends; a machine that is gone does not.
      headersTimeoutMs: 600_000,
      closeOn: () => accessToken?.signal,
    })(c);
  };
  // The toolbar's options of one of its projects (as `/api/toolbar` for this machine's).
  routes.get("/:server/toolbar", async (c) => {
    const server = remotes?.get(c.req.param("server"));
    const directory = c.req.query("directory");
    if (!server) return c.json({ error: `No server "${c.req.param("server")}"` }, 404);
    if (!directory) return c.json({ error: 'Missing the "directory" parameter' }, 400);
    const load = await server.toolbars.current(directory);
    const headers = { "cache-control": "no-store" };
    if ("unavailable" in load) {
      return c.json({ error: `${server.name} is not answering` }, 503, {
        ...headers,
        "retry-after": "1",
      });
    }
    if ("error" in load) return c.json({ error: load.error }, 502, headers);
    return c.json(load, 200, headers);
  });
  // The user's earlier messages in one of its projects (as `/api/prompts` for this machine's).
  routes.get("/:server/prompts/:projectId", async (c) => {
    const server = remotes?.get(c.req.param("server"));
    if (!server) return c.json({ error: `No server "${c.req.param("server")}"` }, 404);
    const prompts = await remotePrompts(server, c.req.param("projectId"), PROMPT_HISTORY);
    return c.json({ prompts }, 200, { "cache-control": "no-store" });
  });
  for (const [method, paths] of Object.entries(PROXIED_API)) {
    for (const path of paths) {
      const maxSize = MESSAGE_PATHS.includes(path) ? MESSAGE_BODY_LIMIT : SMALL_BODY_LIMIT;
      routes.on(method, `/:server/opencode${path}`, limitBody(maxSize), proxy);
    }
  }
  routes.all("/*", (c) =>
    c.json({
      error: `Palot does not pass ${c.req.method} ${c.req.path} to OpenCode: only the API its ` +
        "pages use (see lib/server/opencode/proxied_api.ts)",
    }, 404));
  return routes;
}
