/**
 * The latest session-wide file diff of each session, from OpenCode's `session.diff` events (the
 * Changes panel prefers it when it is not empty; OpenCode 1.18 sends an empty list and records the
 * changes per user message instead).
 */

import { type Signal, signal } from "@preact/signals";
import type { SnapshotFileDiff } from "@opencode-ai/sdk/v2/client";

export const sessionDiffs: Signal<Record<string, SnapshotFileDiff[]>> = signal({});

/** Records a `session.diff` event's list for `sessionID`. */
export function setSessionDiff(sessionID: string, diff: unknown): void {
  if (!sessionID || !Array.isArray(diff)) return;
  sessionDiffs.value = { ...sessionDiffs.value, [sessionID]: diff as SnapshotFileDiff[] };
}
