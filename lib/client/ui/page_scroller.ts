/**
 * What scrolls a page: on a chat's page (`<body data-frame>`, a frame that fills the window and
 * whose document never scrolls) its main column, elsewhere the document. Code that follows or
 * moves the page's scroll position goes through it, never `window.scrollTo`.
 */

/** The element whose `scrollTop` is the page's position. */
export function pageScroller(): HTMLElement {
  const main = document.body.hasAttribute("data-frame") ? document.getElementById("main") : null;
  return main ?? (document.scrollingElement as HTMLElement | null) ?? document.documentElement;
}

/** Where the page's scroll events fire: the main column of a frame, else the document. */
export function scrollEvents(): HTMLElement | Document {
  const scroller = pageScroller();
  return scroller === document.scrollingElement ? document : scroller;
}
