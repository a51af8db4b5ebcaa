/**
 * The files a browser asks for at fixed addresses: `/favicon.ico` (asked for by every browser,
 * whatever the page links) and `/manifest.webmanifest` (what makes Palot installable as an app:
 * its name, standalone display, theme colour and icons, all under `static/`).
 */

import { Hono } from "hono";
import { join } from "node:path";
import { STATIC_ROOT } from "../lib/server/http/static_files.ts";

/** The web app manifest. Its colours match the accent and background tokens of `app.css`. */
export const MANIFEST = {
  name: "Palot",
  short_name: "Palot",
  description: "Every OpenCode project and session on this machine, in one window",
  start_url: "/",
  scope: "/",
  display: "standalone",
  background_color: "#fbfbfa",
  theme_color: "#3b5bdb",
  icons: [
    { src: "/static/icons/icon.svg", sizes: "any", type: "image/svg+xml" },
    { src: "/static/icons/icon-192.png", sizes: "192x192", type: "image/png" },
    { src: "/static/icons/icon-512.png", sizes: "512x512", type: "image/png" },
    {
      src: "/static/icons/icon-maskable-512.png",
      sizes: "512x512",
      type: "image/png",
      purpose: "maskable",
    },
  ],
};

const FAVICON = Deno.readFileSync(join(STATIC_ROOT, "icons", "favicon.ico"));

export function appFileRoutes(): Hono {
  const routes = new Hono();
  routes.get("/favicon.ico", (c) =>
    c.body(FAVICON, 200, {
      "content-type": "image/x-icon",
      "cache-control": "public, max-age=86400",
    }));
  routes.get("/manifest.webmanifest", (c) =>
    c.body(JSON.stringify(MANIFEST), 200, {
      "content-type": "application/manifest+json",
      "cache-control": "no-cache",
    }));
  return routes;
}
