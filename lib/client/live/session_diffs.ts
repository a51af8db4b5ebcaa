/**
 * The latest session-wide file diff of each session, from OpenCode's `session.diff` events. The
 * Changes panel uses it only when no user message carries its own diffs: OpenCode 1.18 records
 * changes per user message, sends an empty list after a turn and the revert's diff on Undo.
 */

import { type Signal, signal } from "@preact/signals";
import type { SnapshotFileDiff } from "@opencode-ai/sdk/v2/client";

export const sessionDiffs: Signal<Record<string, SnapshotFileDiff[]>> = signal({});

/** Records a `session.diff` event's list for `sessionID`. */
export function setSessionDiff(sessionID: string, diff: unknown): void {
  if (!sessionID || !Array.isArray(diff)) return;
  sessionDiffs.value = { ...sessionDiffs.value, [sessionID]: diff as SnapshotFileDiff[] };
}
