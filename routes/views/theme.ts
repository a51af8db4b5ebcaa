/**
 * The colour theme a page is rendered in: `system` (follow the operating system), `light` or
 * `dark`, remembered in the `palot_theme` cookie. The server reads it while rendering, so the page
 * paints in its theme at once (no flash, no script). The header's `Theme` control posts to
 * `POST /theme` (`routes/theme.ts`), which sets the cookie and sends the browser back.
 */

import type { Context } from "hono";
import { tryGetContext } from "hono/context-storage";
import { getCookie } from "hono/cookie";
import { THEME_COOKIE } from "../../lib/client/ui/theme_switch.ts";

export const THEMES = ["system", "light", "dark"] as const;
export type Theme = typeof THEMES[number];
export { THEME_COOKIE };

/** `value` as a theme, or `system` for anything else. */
export function parseTheme(value: string | undefined | null): Theme {
  return THEMES.includes(value as Theme) ? value as Theme : "system";
}

/**
 * The theme of the request being answered (Hono's context storage), or `system` outside one.
 *
 * @example
 * ```ts
 * `<html data-theme="${currentTheme()}">`;
 * ```
 */
export function currentTheme(c: Context | undefined = tryGetContext()): Theme {
  return c ? parseTheme(getCookie(c, THEME_COOKIE)) : "system";
}

/** The path and query of the request being answered, for a form to come back to; `/` outside one. */
export function currentPath(c: Context | undefined = tryGetContext()): string {
  if (!c) return "/";
  const url = new URL(c.req.url);
  return url.pathname + url.search;
}

/** `target` when it is a path on this site, else `/` (a form cannot redirect elsewhere). */
export function safeBackPath(target: string | undefined | null): string {
  return target && target.startsWith("/") && !target.startsWith("//") && !target.includes("\\")
    ? target
    : "/";
}
