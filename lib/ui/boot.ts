/**
 * The browser half of the island glue: finds every `[data-island]` marker rendered by
 * `island.tsx`, imports that island's chunk from the build folder, and hydrates it with the
 * props serialized beside it, after the page's first frame. Loaded only by pages that render an
 * island.
 */

import { h, hydrate } from "preact";

// The page is complete as served: let it paint first, then load and hydrate the islands.
await new Promise((resolve) => {
  // A tab opened in the background paints nothing (and gets no frames) until it is shown.
  if (document.visibilityState === "hidden") resolve(undefined);
  else requestAnimationFrame(() => setTimeout(resolve));
});

for (const element of document.querySelectorAll<HTMLElement>("[data-island]")) {
  const name = element.dataset.island!;
  const props = JSON.parse(element.dataset.props ?? "{}");
  import(new URL(`../../islands/${name}.js`, import.meta.url).href)
    .then((module) => hydrate(h(module.default, props), element))
    .catch((error) => console.error(`Cannot hydrate island "${name}":`, error));
}
