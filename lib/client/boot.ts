/**
 * The browser half of the island glue: finds every `[data-island]` marker rendered by
 * `island.tsx`, imports that island's chunk from the build folder, and hydrates it with the
 * props serialized beside it. The chunks load at once; hydration waits for the page's first
 * frame, so the page as served paints first, and for every chunk, so that all islands hydrate
 * together: hydration keeps the page's elements without patching them, so each island's first
 * render must be the page as served, and the event stream an island opens once hydrated must not
 * tell the shared store more before another island's first render. Loaded only by pages that
 * render an island; it also scrolls a page rendered with `startAtEnd` to its end.
 */

import { h, hydrate } from "preact";
import { restorePaneLayout } from "./workbench/pane_layout.ts";
import { pageScroller } from "./ui/page_scroller.ts";

// A page that starts at its end (a chat) is put there before it paints, not once hydrated, and
// a reload does not put it back where it was.
if ("startAtEnd" in document.body.dataset) {
  history.scrollRestoration = "manual";
  const scroller = pageScroller();
  scroller.scrollTo({ top: scroller.scrollHeight });
}

// The session page's side pane takes its stored place before the page paints (see pane_layout.ts).
restorePaneLayout();

const islands = [...document.querySelectorAll<HTMLElement>("[data-island]")].map((element) => {
  const name = element.dataset.island!;
  const module = import(new URL(`../../islands/${name}.js`, import.meta.url).href);
  return { name, element, props: JSON.parse(element.dataset.props ?? "{}"), module };
});

const [loaded] = await Promise.all([
  Promise.allSettled(islands.map((island) => island.module)),
  new Promise((resolve) => {
    // A tab opened in the background paints nothing (and gets no frames) until it is shown.
    if (document.visibilityState === "hidden") resolve(undefined);
    else requestAnimationFrame(() => setTimeout(resolve));
  }),
]);

islands.forEach(({ name, element, props }, index) => {
  const result = loaded[index];
  try {
    if (result.status === "rejected") throw result.reason;
    hydrate(h(result.value.default, props), element);
    element.dataset.hydrated = ""; // The island is live: its controls respond from now on.
  } catch (error) {
    console.error(`Cannot hydrate island "${name}":`, error);
  }
});
