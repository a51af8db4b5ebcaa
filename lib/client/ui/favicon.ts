/**
 * The page's icon, drawn as SVG in a `data:` address (no request, allowed by the page's
 * Content-Security-Policy): Palot's mark (`static/icons/icon.svg`), with an orange dot when
 * something waits for the user. Pages render it with the dot off; `setFaviconDot` redraws it.
 */

const MARK = `<rect width="64" height="64" rx="14" fill="#3b5bdb"/>` +
  `<path d="M17 17h30a5 5 0 0 1 5 5v16a5 5 0 0 1-5 5H31l-9 8v-8h-5a5 5 0 0 1-5-5V22a5 5 0 0 1 5-5z" ` +
  `fill="#fff"/><path d="m22 25 6 5-6 5m11 1h9" fill="none" stroke="#3b5bdb" stroke-width="3.5" ` +
  `stroke-linecap="round" stroke-linejoin="round"/>`;
const DOT = `<circle cx="50" cy="14" r="12" fill="#f08c00" stroke="#fff" stroke-width="4"/>`;

/** The icon's address, with or without the dot. */
export function faviconHref(dot: boolean): string {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64">${MARK}${
    dot ? DOT : ""
  }</svg>`;
  return `data:image/svg+xml,${encodeURIComponent(svg)}`;
}

/**
 * Shows the icon, with a dot when `dot` is true (`data-dot` on the link says which).
 *
 * @example
 * ```ts
 * effect(() => setFaviconDot(attentionCount.value > 0));
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
