/**
 * `POST /theme`: the header's `Theme` control. Remembers the chosen theme in a cookie for a year
 * and sends the browser back to the page it came from (a path on this site only), which the
 * server then renders in that theme. Works without JavaScript.
 */

import { Hono } from "hono";
import { setCookie } from "hono/cookie";
import { parseTheme, safeBackPath, THEME_COOKIE } from "./views/theme.ts";

export function themeRoutes(): Hono {
  const routes = new Hono();
  routes.post("/", async (c) => {
    const form = await c.req.parseBody().catch(() => ({} as Record<string, unknown>));
    const theme = parseTheme(typeof form.theme === "string" ? form.theme : undefined);
    setCookie(c, THEME_COOKIE, theme, {
      path: "/",
      sameSite: "Lax",
      maxAge: 365 * 24 * 3600,
    });
    return c.redirect(safeBackPath(typeof form.back === "string" ? form.back : undefined), 303);
  });
  return routes;
}
