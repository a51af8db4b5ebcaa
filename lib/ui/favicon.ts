/**
 * The page's icon, drawn as SVG in a `data:` address (no request, allowed by the page's
 * Content-Security-Policy): Palot's mark, with a dot when something waits for the user.
 */

const MARK = `<rect width="32" height="32" rx="7" fill="#3b5bdb"/>` +
  `<text x="16" y="23" font-size="19" font-family="sans-serif" font-weight="700" ` +
  `text-anchor="middle" fill="#fff">P</text>`;
const DOT = `<circle cx="25" cy="7" r="6.5" fill="#e03131" stroke="#fff" stroke-width="2"/>`;

/** The icon's address, with or without the dot. */
export function faviconHref(dot: boolean): string {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32">${MARK}${
    dot ? DOT : ""
  }</svg>`;
  return `data:image/svg+xml,${encodeURIComponent(svg)}`;
}

/**
 * Shows the icon, with a dot when `dot` is true (`data-dot` on the link says which).
 *
 * @example
 * ```ts
 * effect(() => setFaviconDot(waitingCount.value > 0));
 * ```
 */
export function setFaviconDot(dot: boolean): void {
  let link = document.querySelector<HTMLLinkElement>('link[rel="icon"]');
  if (!link) {
    link = document.createElement("link");
    link.rel = "icon";
    document.head.append(link);
  }
  if (link.dataset.dot === String(dot)) return;
  link.dataset.dot = String(dot);
  link.href = faviconHref(dot);
}
