/** The 404 and 500 pages: plain words, a way back, never a stack trace. */

import type { Context } from "hono";
import type { AppServices } from "../lib/server/services.ts";
import { renderPage } from "./views/document.ts";
import { Shell } from "./views/layout.tsx";
import { emptyLiveContext, liveContext } from "./views/live_context.ts";

export function notFoundPage(c: Context, services: AppServices): Response {
  if (c.req.path.startsWith("/api/")) return c.json({ error: "Not found" }, 404);
  return renderPage(
    <Shell live={liveContext(services)}>
      <h1>Not found</h1>
      <p>Nothing lives at this address. It may have been deleted, or the link is mistyped.</p>
      <p>
        <a href="/">Back to all projects</a>
      </p>
    </Shell>,
    { title: "Not found · Palot", status: 404 },
  );
}

/** Whether `error` is SQLite saying OpenCode's database stayed locked by a writer. */
function isStorageBusy(error: unknown): boolean {
  return /database is locked|SQLITE_BUSY/i.test(String((error as Error)?.message ?? error));
}

export function serverErrorPage(c: Context, services: AppServices, error?: unknown): Response {
  const busy = isStorageBusy(error);
  let live;
  try {
    live = liveContext(services);
  } catch {
    // The failure may be in what the live context reads: render without it.
    live = emptyLiveContext();
  }
  if (c.req.path.startsWith("/api/")) {
    return busy
      ? c.json({ error: "OpenCode's storage is busy; try again in a moment" }, 503)
      : c.json({ error: "Internal error; see Palot's log" }, 500);
  }
  const response = renderPage(
    <Shell live={live}>
      <h1>{busy ? "OpenCode's storage is busy" : "Something went wrong"}</h1>
      <p>
        {busy
          ? "OpenCode is writing to its database and kept it locked. Reload the page in a moment."
          : "Palot could not show this page. The details are in Palot's log."}
      </p>
      <p>
        <a href="/">Back to all projects</a>
      </p>
    </Shell>,
    { title: busy ? "Busy · Palot" : "Error · Palot", status: busy ? 503 : 500 },
  );
  if (busy) response.headers.set("retry-after", "2");
  return response;
}
