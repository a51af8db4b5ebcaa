/** `/settings`: Palot's settings, one section per topic (each in `lib/ui/settings/`). */

import { Hono } from "hono";
import type { AppServices } from "../lib/app.ts";
import { renderPage } from "../lib/ui/document.ts";
import { Shell } from "../lib/ui/layout.tsx";
import { liveContext } from "../lib/ui/live_context.ts";
import { NotificationSettings } from "../lib/ui/settings/notifications.tsx";
import { remoteAccess, RemoteAccessSection } from "../lib/ui/settings/token.tsx";
import { projectSidebar } from "../lib/ui/sidebar.tsx";

export function settingsRoutes(services: AppServices): Hono {
  const { discovery } = services;
  const routes = new Hono();
  routes.get("/", (c) => {
    const live = liveContext(services);
    const projects = discovery.listProjects().map(({ name, worktree }) => ({ name, worktree }));
    return renderPage(
      <Shell live={live} sidebar={projectSidebar(discovery, live)}>
        <h1>Settings</h1>
        <NotificationSettings projects={projects} />
        <RemoteAccessSection {...remoteAccess(c, services)} />
      </Shell>,
      { title: "Settings · Palot", eventId: live.eventId },
    );
  });
  return routes;
}
