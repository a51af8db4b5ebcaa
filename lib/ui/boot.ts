/**
 * The browser half of the island glue: finds every `[data-island]` marker rendered by
 * `island.tsx`, imports that island's chunk from the build folder, and hydrates it with the
 * props serialized beside it. Loaded only by pages that render an island.
 */

import { h, hydrate } from "preact";

for (const element of document.querySelectorAll<HTMLElement>("[data-island]")) {
  const name = element.dataset.island!;
  const props = JSON.parse(element.dataset.props ?? "{}");
  import(new URL(`../../islands/${name}.js`, import.meta.url).href)
    .then((module) => hydrate(h(module.default, props), element))
    .catch((error) => console.error(`Cannot hydrate island "${name}":`, error));
}
