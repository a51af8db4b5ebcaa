/**
 * What a session page shows above its live chat: when the history is longer than the page's
 * window, `Show the whole history` (`?all=1`, or a note that even that has a bound), and the
 * messages before the live window (a search result may point at one), with their actions.
 */

import type { MessageWithParts } from "../../lib/common/message.ts";
import { isShown } from "../../lib/client/chat/revert.ts";
import { HistoryMessageActions } from "../../lib/client/chat/review.tsx";
import { MessageList } from "../../lib/client/ui/messages.tsx";

/** Messages `?all=1` shows: the page is rendered in one piece, so even "all" has a bound. */
export const ALL_WINDOW = 2_000;

export function EarlierHistory(
  { sessionHref, hasEarlier, all, limit, keptIn, older, revert }: {
    /** The session page's address (without a query). */
    sessionHref: string;
    /** Whether there are messages before those read. */
    hasEarlier: boolean;
    /** The page is `?all=1`. */
    all: boolean;
    /** How many messages the page read. */
    limit: number;
    /** Where the earlier ones are kept ("OpenCode's storage", "OpenCode on desk"). */
    keptIn: string;
    /** The messages before the live window. */
    older: MessageWithParts[];
    /** The first message an Undo hides, while one is in effect. */
    revert?: string;
  },
) {
  return (
    <>
      {hasEarlier && !all && (
        <p class="earlier">
          <a href={`${sessionHref}?all=1`}>Show the whole history</a>{" "}
          <span class="muted">(the latest {limit} messages are shown)</span>
        </p>
      )}
      {hasEarlier && all && (
        <p class="earlier muted">
          The latest {ALL_WINDOW.toLocaleString("en")} messages are shown; earlier ones are kept in
          {" "}
          {keptIn}.
        </p>
      )}
      {older.length > 0 && (
        <section class="history" aria-label="Earlier messages">
          <MessageList
            messages={older}
            actions={(message) => <HistoryMessageActions message={message} />}
            hidden={(message) => !isShown(message.info.id, revert)}
          />
        </section>
      )}
    </>
  );
}
