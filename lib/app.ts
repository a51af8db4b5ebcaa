/**
 * Palot's HTTP application: the edge middleware, the static files, and every route module mounted
 * in one place, over the services they read ({@linkcode AppServices}). `main.ts` builds the
 * services and serves this app; tests build it the same way.
 */

import { Hono } from "hono";
import type { Config } from "./config.ts";
import { edge } from "./http/edge.ts";
import { STATIC_ROOT, staticFiles } from "./http/static_files.ts";
import type { DiscoveryStore } from "./discovery/types.ts";
import type { LiveEvents } from "./events/live.ts";
import type { OpencodeSupervisor } from "./opencode/supervisor.ts";
import type { SearchIndexer } from "./search/indexer.ts";
import { notFoundPage, serverErrorPage } from "../routes/_errors.tsx";
import { indexRoutes } from "../routes/index.tsx";
import { eventRoutes } from "../routes/api/events.ts";
import { opencodeRoutes } from "../routes/api/opencode.ts";
import { projectRoutes } from "../routes/project.tsx";
import { sessionRoutes } from "../routes/session.tsx";
import { searchRoutes } from "../routes/search.tsx";
import { paletteRoutes } from "../routes/api/palette.ts";
import { settingsRoutes } from "../routes/settings.tsx";
import { tokenRoutes } from "../routes/api/token.ts";
import { AccessToken } from "./http/access_token.ts";

/** What routes read: the configuration and the long-lived services. */
export interface AppServices {
  config: Config;
  supervisor: Pick<OpencodeSupervisor, "endpoint" | "snapshot">;
  /** OpenCode's storage, read-only. */
  discovery: DiscoveryStore;
  /** The live layer (absent in tests that need no events). */
  live?: Pick<LiveEvents, "hub" | "index" | "connected">;
  /** Palot's full-text index of every session (absent in tests that need no search). */
  search?: Pick<SearchIndexer, "search" | "forget" | "progress">;
  /** The access token in force, when `--token` is set (built from it when absent). */
  accessToken?: AccessToken;
}

/**
 * Builds the Hono app.
 *
 * @example
 * ```ts
 * Deno.serve({ port: config.port }, createApp({ config, supervisor, discovery }).fetch);
 * ```
 */
export function createApp(given: AppServices): Hono {
  const { config } = given;
  const accessToken = given.accessToken ??
    (config.token ? new AccessToken(config.token) : undefined);
  const services = { ...given, accessToken };
  const app = new Hono();
  app.use(edge({ ...config, token: accessToken }));
  app.get("/static/*", staticFiles(STATIC_ROOT));
  app.route("/api/opencode", opencodeRoutes(services));
  app.route("/api/events", eventRoutes(services));
  app.route("/api/token", tokenRoutes(services));
  app.route("/project", projectRoutes(services));
  app.route("/session", sessionRoutes(services));
  app.route("/search", searchRoutes(services));
  app.route("/api/palette", paletteRoutes(services));
  app.route("/settings", settingsRoutes(services));
  app.route("/", indexRoutes(services));
  app.notFound((c) => notFoundPage(c, services));
  app.onError((error, c) => {
    console.error(`Error answering ${c.req.method} ${c.req.path}:`, error);
    return serverErrorPage(c, services);
  });
  return app;
}
