/**
 * `/api/prompts/:projectId`: the user's own earlier messages in a project, newest first, read from
 * OpenCode's storage, for the composer's Up/Down history. `{prompts: string[]}`; an unknown project
 * has none.
 */

import { Hono } from "hono";
import type { AppServices } from "../../lib/server/services.ts";

/** How many earlier messages the composer can walk back through. */
export const PROMPT_HISTORY = 100;

export function promptRoutes({ discovery }: AppServices): Hono {
  const routes = new Hono();
  routes.get("/:projectId", (c) => {
    const prompts = discovery.listPrompts(c.req.param("projectId"), { limit: PROMPT_HISTORY });
    return c.json({ prompts }, 200, { "cache-control": "no-store" });
  });
  return routes;
}
