/**
 * The browser tab's title, as one signal: the page says what it shows (a chat sets its session's
 * title once it has one, and after `Rename`), and the `Attention` island adds the `(N)` of what
 * waits for the user in front of it. Each writes only its part, so neither undoes the other.
 */

import { signal } from "@preact/signals";
import { IS_BROWSER } from "./is_browser.ts";

/** What the page shows, without the `(N)` count: the server's `<title>` until a page sets it. */
export const pageTitle = signal(IS_BROWSER ? document.title.replace(/^\(\d+\) /, "") : "");
