/** `/`: every OpenCode project on this machine. */

import { Hono } from "hono";
import type { AppServices } from "../lib/app.ts";
import { renderPage } from "../lib/ui/document.ts";
import { Shell } from "../lib/ui/layout.tsx";

export function indexRoutes({ supervisor }: AppServices): Hono {
  const routes = new Hono();
  routes.get("/", () =>
    renderPage(
      <Shell opencodeStatus={supervisor.snapshot().status}>
        <h1>Projects</h1>
      </Shell>,
      { title: "Projects · Palot" },
    ));
  return routes;
}
