/**
 * The server half of the island glue. {@linkcode island} wraps an interactive component so that
 * server rendering emits its HTML inside a `[data-island]` marker carrying the island's name and
 * its props as JSON; {@linkcode renderWithIslands} renders a page and reports which islands it
 * used, so only those pages load `boot.js` (a page without islands ships no JavaScript).
 */

import type { ComponentType, JSX, VNode } from "preact";
import { renderToString } from "preact-render-to-string";

let rendering: Set<string> | undefined;

/**
 * Marks `Component` (the default export of `islands/<name>.tsx`) as an island.
 *
 * @example
 * ```tsx
 * import ConnectionStatusView from "./ConnectionStatus.tsx";
 * const ConnectionStatus = island("ConnectionStatus", ConnectionStatusView);
 * ```
 */
export function island<P extends object>(
  name: string,
  Component: ComponentType<P>,
): (props: P) => JSX.Element {
  return (props: P) => {
    rendering?.add(name);
    return (
      <div data-island={name} data-props={JSON.stringify(props)} style="display:contents">
        <Component {...props} />
      </div>
    );
  };
}

/** Renders a page to HTML and returns the names of the islands it contains. */
export function renderWithIslands(page: VNode): { html: string; islands: string[] } {
  const previous = rendering;
  const used = new Set<string>();
  rendering = used;
  try {
    return { html: renderToString(page), islands: [...used] };
  } finally {
    rendering = previous;
  }
}
