/**
 * The browser half of the island glue: finds every `[data-island]` marker rendered by
 * `island.tsx`, imports that island's chunk from the build folder, and hydrates it with the
 * props serialized beside it. The chunks load at once; hydration waits for the page's first
 * frame, so the page as served paints first. Loaded only by pages that render an island; it also
 * scrolls a page rendered with `startAtEnd` to its end.
 */

import { h, hydrate } from "preact";

// A page that starts at its end (a chat) is put there before it paints, not once hydrated, and
// a reload does not put it back where it was.
if ("startAtEnd" in document.body.dataset) {
  history.scrollRestoration = "manual";
  scrollTo({ top: document.documentElement.scrollHeight });
}

const islands = [...document.querySelectorAll<HTMLElement>("[data-island]")].map((element) => {
  const name = element.dataset.island!;
  const module = import(new URL(`../../islands/${name}.js`, import.meta.url).href);
  module.catch(() => {}); // A chunk that fails to load is reported below, once, after the frame.
  return { name, element, props: JSON.parse(element.dataset.props ?? "{}"), module };
});

await new Promise((resolve) => {
  // A tab opened in the background paints nothing (and gets no frames) until it is shown.
  if (document.visibilityState === "hidden") resolve(undefined);
  else requestAnimationFrame(() => setTimeout(resolve));
});

for (const { name, element, props, module } of islands) {
  module
    .then((loaded) => {
      hydrate(h(loaded.default, props), element);
      element.dataset.hydrated = ""; // The island is live: its controls respond from now on.
    })
    .catch((error) => console.error(`Cannot hydrate island "${name}":`, error));
}
