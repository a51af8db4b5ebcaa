/**
 * Palot's HTTP application: the edge middleware, the static files, and every route module mounted
 * in one place, over the services they read ({@linkcode AppServices}). `main.ts` builds the
 * services and serves this app; tests build it the same way.
 */

import { Hono } from "hono";
import { contextStorage } from "hono/context-storage";
import { except } from "hono/combine";
import { FORM_BODY_LIMIT, limitBody } from "./lib/server/http/body_limit.ts";
import { edge } from "./lib/server/http/edge.ts";
import { STATIC_ROOT, staticFiles } from "./lib/server/http/static_files.ts";
import type { AppServices } from "./lib/server/services.ts";
import { notFoundPage, serverErrorPage } from "./routes/_errors.tsx";
import { appFileRoutes } from "./routes/app_files.ts";
import { indexRoutes } from "./routes/index.tsx";
import { eventRoutes } from "./routes/api/events.ts";
import { folderRoutes } from "./routes/api/folders.ts";
import { opencodeRoutes } from "./routes/api/opencode.ts";
import { remoteOpencodeRoutes } from "./routes/api/remote_opencode.ts";
import { remoteRoutes } from "./routes/remote.tsx";
import { presenceRoutes } from "./routes/api/presence.ts";
import { newSessionRoutes } from "./routes/new.tsx";
import { promptRoutes } from "./routes/api/prompts.ts";
import { projectRoutes } from "./routes/project.tsx";
import { sessionRoutes } from "./routes/session.tsx";
import { searchRoutes } from "./routes/search.tsx";
import { paletteRoutes } from "./routes/api/palette.ts";
import { settingsRoutes } from "./routes/settings.tsx";
import { themeRoutes } from "./routes/theme.ts";
import { tokenRoutes } from "./routes/api/token.ts";
import { toolbarRoutes } from "./routes/api/toolbar.ts";
import { remoteSessionFigureRoutes, sessionFigureRoutes } from "./routes/api/session_figures.ts";
import { remoteWorktreeApiRoutes, worktreeApiRoutes } from "./routes/api/worktrees.ts";
import { worktreeRoutes } from "./routes/worktree.tsx";
import { AccessToken } from "./lib/server/http/access_token.ts";

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
  // The proxy sets its own limits (a message with attachments is large); every other body is small.
  app.use(except(["/api/opencode/*", "/api/servers/*"], limitBody(FORM_BODY_LIMIT)));
  // Pages read the request (its theme cookie) while rendering: see routes/views/theme.ts.
  app.use(contextStorage());
  app.use("/static/*", staticFiles(STATIC_ROOT));
  app.route("/api/opencode", opencodeRoutes(services));
  app.route("/api/servers", remoteWorktreeApiRoutes(services));
  app.route("/api/servers", remoteSessionFigureRoutes(services));
  app.route("/api/servers", remoteOpencodeRoutes(services));
  app.route("/s", remoteRoutes(services));
  app.route("/api/events", eventRoutes(services));
  app.route("/api/presence", presenceRoutes(services));
  app.route("/api/folders", folderRoutes());
  app.route("/api/token", tokenRoutes(services));
  app.route("/new", newSessionRoutes(services));
  app.route("/api/prompts", promptRoutes(services));
  app.route("/api/toolbar", toolbarRoutes(services));
  app.route("/api/session-figures", sessionFigureRoutes(services));
  app.route("/api/worktrees", worktreeApiRoutes(services));
  app.route("/worktree", worktreeRoutes(services));
  app.route("/project", projectRoutes(services));
  app.route("/session", sessionRoutes(services));
  app.route("/search", searchRoutes(services));
  app.route("/api/palette", paletteRoutes(services));
  app.route("/settings", settingsRoutes(services));
  app.route("/theme", themeRoutes());
  app.route("/", appFileRoutes());
  app.route("/", indexRoutes(services));
  app.notFound((c) => notFoundPage(c, services));
  app.onError((error, c) => {
    console.error(`Error answering ${c.req.method} ${c.req.path}:`, error);
    return serverErrorPage(c, services, error);
  });
  return app;
}
