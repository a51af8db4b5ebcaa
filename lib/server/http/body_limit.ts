/**
 * Request body limits: a body larger than its route allows is refused with 413 before it is read
 * (by its `Content-Length`, or as soon as a streamed body passes the limit), so no request can
 * make Palot hold more than that. Hono's `bodyLimit`, with an answer that says the limit.
 */

import type { MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";

/** The limit for Palot's own forms and reports (Settings, theme, presence). */
export const FORM_BODY_LIMIT = 64 * 1024;

/**
 * Refuses bodies over `maxSize` bytes with a 413 JSON error.
 *
 * @example
 * ```ts
 * app.post("/settings/providers", limitBody(FORM_BODY_LIMIT), handler);
 * ```
 */
export function limitBody(maxSize: number): MiddlewareHandler {
  const limit = maxSize >= 1024 * 1024
    ? `${Math.round(maxSize / 1024 / 1024)} MB`
    : `${Math.round(maxSize / 1024)} KB`;
  return bodyLimit({
    maxSize,
    onError: (c) => c.json({ error: `The request is too large: at most ${limit}` }, 413),
  });
}
