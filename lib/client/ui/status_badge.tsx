/**
 * A session's live status as words (not colour alone): busy, idle, retry, error, "needs you", and
 * "unread" for a session that finished since the user last looked.
 */

import type { SessionStatusName } from "../../common/session_status.ts";
import { activityLine } from "../../common/activity.ts";

export function StatusBadge(
  { status, waiting = 0, unread = false }: {
    status: SessionStatusName;
    waiting?: number;
    unread?: boolean;
  },
) {
  return (
    <>
      <span class={`badge ${status}`}>{status}</span>
      {waiting > 0 && <span class="badge waiting">needs you</span>}
      {unread && <span class="badge unread">unread</span>}
    </>
  );
}

/** What an active session does now (`Running bash: npm test`, `Waiting for you`), or nothing. */
export function DoingLine(
  { row }: { row: { status: SessionStatusName; waiting: number; doing?: string } },
) {
  const line = activityLine(row);
  return line ? <span class="session-doing" title={line}>{line}</span> : null;
}
