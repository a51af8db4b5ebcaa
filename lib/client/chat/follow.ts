/**
 * Following a streaming chat: the page sticks to its end while messages grow, unless the user
 * scrolled up; then new content sets `unseen`, for a `Jump to latest` button.
 */

import { type RefObject } from "preact";
import { useEffect, useRef, useState } from "preact/hooks";
import { pageScroller, scrollEvents } from "../ui/page_scroller.ts";

const atBottom = (slack: number) => {
  const scroller = pageScroller();
  return scroller.clientHeight + scroller.scrollTop >= scroller.scrollHeight - slack;
};
const toEnd = (behavior?: ScrollBehavior) => {
  const scroller = pageScroller();
  scroller.scrollTo({ top: scroller.scrollHeight, behavior });
};

/**
 * Watches `listRef` and the page's scroll position (its main column's, on a chat's page).
 *
 * @example
 * ```tsx
 * const follow = useFollowLatest(listRef);
 * {follow.unseen && <button onClick={follow.jump}>Jump to latest</button>}
 * ```
 */
export function useFollowLatest(listRef: RefObject<HTMLElement>) {
  // Opened at a message (a search result's #message-… link): stay there, not at the end.
  const [stuck, setStuck] = useState(
    () => typeof location === "undefined" || !location.hash.startsWith("#message-"),
  );
  const [unseen, setUnseen] = useState(false);
  const stuckRef = useRef(stuck);
  stuckRef.current = stuck;
  useEffect(() => {
    const onScroll = () => {
      const bottom = atBottom(120);
      setStuck(bottom);
      if (bottom) setUnseen(false);
    };
    const events = scrollEvents();
    events.addEventListener("scroll", onScroll, { passive: true });
    const observer = new MutationObserver(() => {
      if (stuckRef.current || atBottom(240)) toEnd();
      else setUnseen(true);
    });
    if (listRef.current) {
      observer.observe(listRef.current, { childList: true, subtree: true, characterData: true });
    }
    return () => {
      events.removeEventListener("scroll", onScroll);
      observer.disconnect();
    };
  }, []);
  return {
    /** New content arrived below while the user was reading above. */
    unseen: unseen && !stuck,
    /** Follow the end again (after sending). */
    stick: () => setStuck(true),
    /** Scroll to the end and follow it. */
    jump: () => {
      toEnd("smooth");
      setStuck(true);
      setUnseen(false);
    },
  };
}
