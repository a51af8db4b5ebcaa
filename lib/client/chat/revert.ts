/**
 * Undo, Redo and Fork of a session at a user message, through OpenCode: `session.revert` (files
 * back to their state before the message, the message and later ones hidden), `session.unrevert`,
 * and `session.fork` (a new session with the history before the message). Also the two things
 * the chat needs around them: which messages a revert hides, and putting a message's text into a
 * composer without overwriting a draft. Every failure comes back as a sentence for the user.
 */

import type { Part, Session } from "@opencode-ai/sdk/v2/client";
import { getProjectClient } from "../live/clients.ts";

/** The outcome of an action: the session OpenCode returned, or why it failed, in words. */
export type ActionResult = { ok: true; session: Session } | { ok: false; message: string };

/** Whether a message is shown while the session is reverted from `revertedFrom` (hidden after). */
export function isShown(messageID: string, revertedFrom: string | undefined): boolean {
  return !revertedFrom || messageID < revertedFrom;
}

/** The text the user typed in a message (its non-synthetic text parts). */
export function userText(parts: readonly Part[]): string {
  return parts
    .filter((part) => part.type === "text" && !part.synthetic)
    .map((part) => (part as { text: string }).text)
    .join("\n")
    .trim();
}

/**
 * The local-storage key of a session's composer draft (the composer's own format).
 * TODO(composer split): point at the composer's exported draft helper once it exists.
 */
export function draftKey(sessionID: string): string {
  return `palot:draft:${sessionID}`;
}

/** Stores `text` as the draft of a session not opened yet (a fork), unless one is there. */
export function seedDraft(sessionID: string, text: string): void {
  try {
    if (text && !localStorage.getItem(draftKey(sessionID))) {
      localStorage.setItem(draftKey(sessionID), text);
    }
  } catch { /* storage disabled: the new session opens with an empty box */ }
}

/** Puts `text` into the message box unless it holds a draft; returns whether it did. */
export function fillComposerIfEmpty(box: HTMLTextAreaElement | null, text: string): boolean {
  if (!box || !text || box.value.trim()) return false;
  setComposerText(box, text);
  return true;
}

/**
 * Sets the message box's text as if typed, so the composer keeps it as its draft.
 * TODO(composer split): use the composer's own "set the draft" hook once it exists.
 */
export function setComposerText(box: HTMLTextAreaElement, text: string): void {
  box.value = text;
  box.dispatchEvent(new Event("input", { bubbles: true }));
}

const VERBS = { undone: "undo", redone: "redo", forked: "fork" } as const;
type Action = keyof typeof VERBS;

function failure(action: Action, status: number | undefined, error: unknown): string {
  if (status === 409) {
    return `The agent is working, so nothing was ${action}: stop it first (Stop, or Escape), then try again`;
  }
  const detail = error as { message?: string; data?: { message?: string } } | undefined;
  const message = detail?.data?.message ?? detail?.message ??
    (status ? `OpenCode answered ${status}` : String(error ?? "no answer"));
  return `Could not ${VERBS[action]}: ${message}`;
}

async function call(
  action: Action,
  request: () => Promise<{ data?: Session; error?: unknown; response?: Response }>,
): Promise<ActionResult> {
  try {
    const { data, error, response } = await request();
    if (data && response?.ok) return { ok: true, session: data };
    return { ok: false, message: failure(action, response?.status, error) };
  } catch (reason) {
    return { ok: false, message: failure(action, undefined, reason) };
  }
}

/**
 * Reverts `sessionID` to before `messageID` (OpenCode answers 409 while the agent works).
 *
 * @example
 * ```ts
 * const result = await undoMessage(directory, sessionID, messageID);
 * if (!result.ok) show(result.message);
 * ```
 */
export function undoMessage(
  directory: string,
  sessionID: string,
  messageID: string,
): Promise<ActionResult> {
  return call(
    "undone",
    () => getProjectClient(directory).session.revert({ sessionID, messageID }),
  );
}

/** Restores everything the last Undo of `sessionID` took back. */
export function redoSession(directory: string, sessionID: string): Promise<ActionResult> {
  return call("redone", () => getProjectClient(directory).session.unrevert({ sessionID }));
}

/** A new session with the history of `sessionID` before `messageID`. */
export function forkAt(
  directory: string,
  sessionID: string,
  messageID: string,
): Promise<ActionResult> {
  return call(
    "forked",
    () => getProjectClient(directory).session.fork({ sessionID, messageID }),
  );
}
