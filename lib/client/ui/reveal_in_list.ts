/**
 * Brings a list's option into view by scrolling the list alone: `scrollIntoView` would also
 * scroll every scrollable ancestor, the page behind a menu included.
 */

/** Scrolls `list` (the option's scrolling container) just enough to show `option`. */
export function revealInList(list: HTMLElement | null, option: HTMLElement | null): void {
  if (!list || !option) return;
  const top = option.getBoundingClientRect().top - list.getBoundingClientRect().top +
    list.scrollTop;
  if (top < list.scrollTop) list.scrollTop = top;
  else if (top + option.offsetHeight > list.scrollTop + list.clientHeight) {
    list.scrollTop = top + option.offsetHeight - list.clientHeight;
  }
}
