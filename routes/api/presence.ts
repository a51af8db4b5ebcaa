/**
 * `POST /api/presence`: a tab says which project directories it shows,
 * `{"tab": "<random id>", "directories": ["/home/me/app"]}` (an empty list when it closes). The
 * instance keeper pins those directories' OpenCode instances while the report holds, however the
 * tabs share their event stream. Answers 204, or 400 with a JSON error for a malformed report.
 */

import { Hono } from "hono";
import type { AppServices } from "../../lib/server/services.ts";

/** Limits on one report: a tab shows a few directories, never thousands. */
const MAX_DIRECTORIES = 20;
const MAX_LENGTH = 4096;

/** The report's tab id and directories, or a message saying what is wrong with it. */
export function parsePresence(body: unknown): { tab: string; directories: string[] } | string {
  const { tab, directories } = (body ?? {}) as { tab?: unknown; directories?: unknown };
  if (typeof tab !== "string" || tab.length === 0 || tab.length > 100) {
    return 'Expected "tab": a string of 1 to 100 characters';
  }
  if (
    !Array.isArray(directories) || directories.length > MAX_DIRECTORIES ||
    !directories.every((directory) =>
      typeof directory === "string" && directory.length <= MAX_LENGTH
    )
  ) {
    return `Expected "directories": a list of at most ${MAX_DIRECTORIES} paths`;
  }
  return { tab, directories };
}

export function presenceRoutes({ instances }: AppServices): Hono {
  const routes = new Hono();
  routes.post("/", async (c) => {
    let body: unknown;
    try {
      // sendBeacon posts text/plain: read the JSON whatever the content type says.
      body = JSON.parse(await c.req.text());
    } catch {
      return c.json({ error: "Expected a JSON body" }, 400);
    }
    const report = parsePresence(body);
    if (typeof report === "string") return c.json({ error: report }, 400);
    instances?.show(report.tab, report.directories);
    return c.body(null, 204);
  });
  return routes;
}
