/**
 * `POST /api/token`: `New token` in Settings. Replaces the access token (every other browser is
 * signed out, their live streams and terminals end), signs this browser in again with a new session
 * cookie, and returns to Settings, which shows the new sign-in link.
 */

import { Hono } from "hono";
import type { AppServices } from "../../lib/server/services.ts";
import { sessionCookieName, setSessionCookie } from "../../lib/server/http/edge.ts";

export function tokenRoutes({ accessToken, config }: AppServices): Hono {
  const routes = new Hono();
  routes.post("/", async (c) => {
    if (!accessToken) {
      return c.text("Palot runs without a token: start it with --token TOKEN to use one", 409);
    }
    await accessToken.rotate();
    setSessionCookie(c, sessionCookieName(config.port), await accessToken.startSession());
    return c.redirect("/settings?rotated=1#remote-access", 303);
  });
  return routes;
}
