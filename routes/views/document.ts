/**
 * The HTML document around every page: head, the stylesheets (inlined), and, only when the page
 * rendered an island, the module script that hydrates it. Routes call {@linkcode renderPage} and
 * return it.
 */

import { join } from "node:path";
import type { VNode } from "preact";
import { STATIC_ROOT } from "../../lib/server/http/static_files.ts";
import { faviconHref } from "../../lib/client/ui/favicon.ts";
import { renderWithIslands } from "../../lib/server/island.tsx";
import { currentTheme } from "./theme.ts";

/** Where `deno task build` writes the island bundles, as served under `/static/`. */
export const BUILD_URL = "/static/build";

export interface PageOptions {
  /** The document title; escaped here. */
  title: string;
  status?: number;
  /** The live layer's last event id, for the tab's event stream to resume from. */
  eventId?: string;
  /**
   * Open the page scrolled to its end (a chat), before it first paints: `boot.ts` scrolls there
   * as soon as it runs, not once the islands are hydrated.
   */
  startAtEnd?: boolean;
  /**
   * A chat's page: a frame that fills the window, whose document never scrolls (the header stays
   * where it is); its main column scrolls inside it (`lib/client/ui/page_scroller.ts`).
   */
  frame?: boolean;
}

/**
 * The theme colour of the browser's own frame (tab strip, installed app's title bar) per theme:
 * `--color-bg` of `app.css`.
 */
const THEME_COLOR = {
  light: '<meta name="theme-color" content="#fbfbfa">',
  dark: '<meta name="theme-color" content="#141413">',
  system: '<meta name="theme-color" media="(prefers-color-scheme: light)" content="#fbfbfa">' +
    '<meta name="theme-color" media="(prefers-color-scheme: dark)" content="#141413">',
};

/**
 * A stylesheet as inlined into pages: without its comments (the token list at the top of
 * `app.css` is for people) and without line breaks and indentation.
 *
 * @example
 * ```ts
 * compactStylesheet("/* note *\/\na {\n  color: red;\n}\n"); // "a {color: red;}"
 * ```
 */
export function compactStylesheet(css: string): string {
  return css.replace(/\/\*[\s\S]*?\*\//g, "").replace(/\n\s*/g, "");
}

const readStylesheet = (name: string) =>
  compactStylesheet(Deno.readTextFileSync(join(STATIC_ROOT, name)));

/**
 * `static/app.css`, read once, for every page; `static/chat.css` after it for a page with a chat
 * or a terminal. Inlined rather than linked: a first visit then paints without waiting for a
 * second, render-blocking request (about 36 KB, 7.5 KB gzipped, and 19 KB, 4 KB gzipped, more on a
 * chat's page).
 */
const STYLESHEET = readStylesheet("app.css");
const CHAT_STYLESHEET = readStylesheet("chat.css");
/** The islands whose pages need `chat.css`. */
const CHAT_ISLANDS = new Set(["Chat", "Terminal"]);

const ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

/** Escapes text for HTML content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => ESCAPES[char]);
}

/**
 * Renders `body` into a full HTML response, in the theme the request's cookie chose
 * (`<html data-theme>`, see `routes/views/theme.ts`), so it paints in that theme at once.
 *
 * @example
 * ```tsx
 * return renderPage(<Shell><h1>Projects</h1></Shell>, { title: "Projects · Palot" });
 * ```
 */
export function renderPage(body: VNode, options: PageOptions): Response {
  const { html, islands } = renderWithIslands(body);
  const scripts = islands.length === 0
    ? ""
    : `<script type="module" src="${BUILD_URL}/lib/client/boot.js"></script>`;
  const stylesheet = islands.some((name) => CHAT_ISLANDS.has(name))
    ? STYLESHEET + CHAT_STYLESHEET
    : STYLESHEET;
  const theme = currentTheme();
  const document = `<!doctype html><html lang="en" data-theme="${theme}"><head>` +
    `<meta charset="utf-8">` +
    // The on-screen keyboard shrinks the page rather than covering it (the composer stays in view).
    `<meta name="viewport" content="width=device-width, initial-scale=1, interactive-widget=resizes-content">` +
    `<meta name="color-scheme" content="${theme === "system" ? "light dark" : theme}">` +
    THEME_COLOR[theme] +
    `<link rel="icon" href="${faviconHref(false)}" data-dot="false">` +
    `<link rel="manifest" href="/manifest.webmanifest">` +
    `<title>${escapeHtml(options.title)}</title>` +
    (options.eventId
      ? `<meta name="palot-event-id" content="${escapeHtml(options.eventId)}">`
      : "") +
    `<style>${stylesheet}</style>${scripts}</head>` +
    `<body${options.startAtEnd ? " data-start-at-end" : ""}${
      options.frame ? " data-frame" : ""
    }>${html}</body></html>`;
  return new Response(document, {
    status: options.status ?? 200,
    headers: {
      "content-type": "text/html; charset=utf-8",
      "cache-control": "no-store",
      "content-security-policy":
        "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'",
      "x-content-type-options": "nosniff",
      // Not `no-referrer`: with it a plain form's POST carries `Origin: null`, which the edge's
      // cross-site check refuses. Other sites still get no referrer.
      "referrer-policy": "same-origin",
    },
  });
}
