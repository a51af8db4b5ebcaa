/** The 404 and 500 pages: plain words, a way back, never a stack trace. */

import type { Context } from "hono";
import type { AppServices } from "../lib/services.ts";
import { renderPage } from "../lib/ui/document.ts";
import { Shell } from "../lib/ui/layout.tsx";
import { emptyLiveContext, liveContext } from "../lib/ui/live_context.ts";

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

export function serverErrorPage(c: Context, services: AppServices): Response {
  let live;
  try {
    live = liveContext(services);
  } catch {
    // The failure may be in what the live context reads: render without it.
    live = emptyLiveContext();
  }
  if (c.req.path.startsWith("/api/")) {
    return c.json({ error: "Internal error; see Palot's log" }, 500);
  }
  return renderPage(
    <Shell live={live}>
      <h1>Something went wrong</h1>
      <p>Palot could not show this page. The details are in Palot's log.</p>
      <p>
        <a href="/">Back to all projects</a>
      </p>
    </Shell>,
    { title: "Error · Palot", status: 500 },
  );
}
