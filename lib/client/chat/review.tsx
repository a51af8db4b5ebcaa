/**
 * The chat's Undo, Redo and Fork: {@linkcode useReview} holds the session's revert point (from
 * the page, then from OpenCode's `session.updated` events), which messages it hides, and the
 * actions; {@linkcode UserMessageActions} draws `Undo` and `Fork` on a user message of the live
 * window, {@linkcode HistoryMessageActions} and {@linkcode useHistoryReview} do the same for the
 * server-rendered history above it, and {@linkcode RevertBar} says what is undone with `Redo`.
 * Undo while the agent works is refused by OpenCode (409) and said so: the user stops the agent
 * first, because stopping it for them would throw away a reply they have not seen.
 */

import { createContext, type RefObject } from "preact";
import { useContext, useEffect, useRef, useState } from "preact/hooks";
import type { Signal } from "@preact/signals";
import type { Part } from "@opencode-ai/sdk/v2/client";
import type { MessageEntry, SessionEntry } from "../live/store.ts";
import type { MessageWithParts } from "../../common/message.ts";
import {
  fillComposerIfEmpty,
  forkAt,
  isShown,
  redoSession,
  seedDraft,
  setComposerText,
  undoMessage,
  userText,
} from "./revert.ts";
import { pageHref } from "../live/page_server.ts";

export interface ReviewOptions {
  directory: string;
  /** The session, once there is one. */
  sessionId: string | undefined;
  /** The session's live entry (its `info.revert` is the revert point once an event brought it). */
  entry: SessionEntry | undefined;
  /** The revert point the page was rendered with. */
  initialRevert?: string;
  /** Whether the folder is a git repository (`undefined`: not known). */
  git?: boolean;
  composer: RefObject<HTMLTextAreaElement>;
  /** The live messages (Redo takes the undone message's text back out of the box). */
  list: Signal<MessageEntry[]>;
}

/** The user message an action is for: its id and the text the user typed in it. */
export interface ReviewTarget {
  id: string;
  text: string;
}

export interface Review {
  /** The first hidden message, while the session is reverted. */
  revertedFrom: string | undefined;
  /** Whether a message is shown (not undone). */
  shows(messageID: string): boolean;
  /** What the last action did or why it failed. */
  notice: string;
  /** The action in flight, if any. */
  working: "undo" | "redo" | "fork" | undefined;
  undo(message: ReviewTarget): Promise<void>;
  redo(): Promise<void>;
  fork(message: ReviewTarget): Promise<void>;
}

const NO_GIT =
  "This folder is not a git repository, so OpenCode cannot put files back (undoing file changes needs git): the messages are hidden, the files are as they are";

/**
 * Undo, Redo and Fork for one chat.
 *
 * @example
 * ```tsx
 * const review = useReview({ directory, sessionId, entry, composer });
 * <ReviewContext.Provider value={review}>…</ReviewContext.Provider>
 * ```
 */
export function useReview(options: ReviewOptions): Review {
  const { directory, sessionId, entry, composer, list } = options;
  const [notice, setNotice] = useState("");
  const [working, setWorking] = useState<Review["working"]>();
  const revertedFrom = entry?.info ? entry.info.revert?.messageID : options.initialRevert;

  const run = async <T,>(kind: NonNullable<Review["working"]>, task: () => Promise<T>) => {
    if (!sessionId || working) return undefined;
    setWorking(kind);
    setNotice("");
    try {
      return await task();
    } finally {
      setWorking(undefined);
    }
  };

  return {
    revertedFrom,
    shows: (messageID) => isShown(messageID, revertedFrom),
    notice,
    working,
    undo: (message) =>
      run("undo", async () => {
        const result = await undoMessage(directory, sessionId!, message.id);
        if (!result.ok) return setNotice(result.message);
        const { text } = message;
        const notes: string[] = [];
        if (!fillComposerIfEmpty(composer.current, text) && text) {
          notes.push("Your draft is kept; the undone message's text was not put in the box");
        }
        const noGit = options.git === false ||
          (options.git === undefined && !result.session.revert?.snapshot);
        if (noGit) notes.push(NO_GIT);
        setNotice(notes.join(". "));
      }),
    redo: () =>
      run("redo", async () => {
        const result = await redoSession(directory, sessionId!);
        if (!result.ok) return setNotice(result.message);
        // The undone message's text leaves the box again, unless the user has changed it.
        const undone = list.peek().find((message) => message.id === revertedFrom);
        const text = undone ? entryTarget(undone).text : historyText(revertedFrom);
        const box = composer.current;
        if (box && text && box.value === text) setComposerText(box, "");
      }),
    fork: (message) =>
      run("fork", async () => {
        const result = await forkAt(directory, sessionId!, message.id);
        if (!result.ok) return setNotice(result.message);
        seedDraft(result.session.id, message.text);
        location.href = pageHref(`/session/${encodeURIComponent(result.session.id)}`);
      }),
  };
}

/** The chat's {@linkcode Review}, for the buttons on each message. */
export const ReviewContext = createContext<Review | undefined>(undefined);

const MESSAGE_ACTIONS = [
  ["Copy", "Copy this message's text"],
  ["Undo", "Put the files back as they were before this message and hide it and what followed"],
  ["Fork", "Start a new session with the history before this message"],
] as const;

type ActionName = typeof MESSAGE_ACTIONS[number][0];

function entryTarget(entry: MessageEntry): ReviewTarget {
  return { id: entry.info.value.id, text: userText(entry.parts.value.map((part) => part.value)) };
}

/** Copies a message's text, and says so on its button for a moment. */
function copyMessage(text: string, button: HTMLButtonElement): void {
  navigator.clipboard?.writeText(text).then(
    () => {
      button.dataset.copied = "";
      button.title = "Copied";
      setTimeout(() => {
        delete button.dataset.copied;
        button.title = MESSAGE_ACTIONS[0][1];
      }, 1500);
    },
    () => {
      button.title = "Copying needs a secure context (HTTPS or this machine)";
    },
  );
}

/**
 * The `Copy`, `Undo` and `Fork` buttons; `onAction` absent: the chat's history handler takes
 * clicks. `Copy` is never disabled (it changes nothing).
 */
function ActionButtons(
  { disabled, onAction }: {
    disabled?: boolean;
    onAction?: (name: ActionName, button: HTMLButtonElement) => void;
  },
) {
  return (
    <>
      {MESSAGE_ACTIONS.map(([name, title]) => (
        <button
          key={name}
          type="button"
          class="button small"
          disabled={name !== "Copy" && disabled}
          title={title}
          data-review-action={onAction ? undefined : name}
          onClick={onAction && ((event) => onAction(name, event.currentTarget))}
        >
          {name}
        </button>
      ))}
    </>
  );
}

/** `Undo` and `Fork` on a user message of a live session; nothing on other messages. */
export function UserMessageActions({ entry }: { entry: MessageEntry }) {
  const review = useContext(ReviewContext);
  if (!review || entry.info.value.role !== "user") return null;
  return (
    <span class="message-actions">
      <ActionButtons
        disabled={Boolean(review.working)}
        onAction={(name, button) =>
          name === "Copy"
            ? copyMessage(entryTarget(entry).text, button)
            : name === "Undo"
            ? review.undo(entryTarget(entry))
            : review.fork(entryTarget(entry))}
      />
    </span>
  );
}

/**
 * `Undo` and `Fork` on a user message of the server-rendered history above the live chat (older
 * than its window). The chat island handles their clicks ({@linkcode useHistoryReview}); a page
 * without JavaScript does not show them.
 */
export function HistoryMessageActions({ message }: { message: MessageWithParts }) {
  if (message.info.role !== "user") return null;
  return (
    <span class="message-actions js-only" data-review-text={userText(message.parts as Part[])}>
      <ActionButtons />
    </span>
  );
}

const HISTORY = "section.history";

/** The typed text of a history message, as {@linkcode HistoryMessageActions} rendered it. */
function historyText(messageID: string | undefined): string {
  if (!messageID) return "";
  const actions = document.querySelector<HTMLElement>(
    `${HISTORY} [data-message-id="${CSS.escape(messageID)}"] [data-review-text]`,
  );
  return actions?.dataset.reviewText ?? "";
}

/**
 * Undo and Fork on the server-rendered history above the live chat: takes its buttons' clicks,
 * hides the history messages a revert hides (and shows them again on Redo), and returns how many
 * are hidden.
 *
 * @example
 * ```tsx
 * const olderUndone = useHistoryReview(review);
 * ```
 */
export function useHistoryReview(review: Review): number {
  const latest = useRef(review);
  latest.current = review;
  const [hidden, setHidden] = useState(0);
  useEffect(() => {
    const history = document.querySelector<HTMLElement>(HISTORY);
    if (!history) return;
    const onClick = (event: MouseEvent) => {
      const button = (event.target as Element).closest<HTMLElement>("[data-review-action]");
      const message = button?.closest<HTMLElement>("[data-message-id]");
      if (!button || !message) return;
      const target = {
        id: message.dataset.messageId!,
        text: historyText(message.dataset.messageId),
      };
      if (button.dataset.reviewAction === "Copy") {
        copyMessage(target.text, button as HTMLButtonElement);
      } else if (button.dataset.reviewAction === "Undo") latest.current.undo(target);
      else latest.current.fork(target);
    };
    history.addEventListener("click", onClick);
    return () => history.removeEventListener("click", onClick);
  }, []);
  useEffect(() => {
    const history = document.querySelector<HTMLElement>(HISTORY);
    if (!history) return;
    let count = 0;
    for (const message of history.querySelectorAll<HTMLElement>("[data-message-id]")) {
      message.hidden = !review.shows(message.dataset.messageId!);
      if (message.hidden) count++;
    }
    for (
      const button of history.querySelectorAll<HTMLButtonElement>(
        "[data-review-action]:not([data-review-action=Copy])",
      )
    ) {
      button.disabled = Boolean(review.working);
    }
    setHidden(count);
  }, [review.revertedFrom, review.working]);
  return hidden;
}

/** What is undone (with `Redo`), and what the last action said. */
export function RevertBar(
  { review, list, olderUndone = 0 }: {
    review: Review;
    list: Signal<MessageEntry[]>;
    /** Undone messages of the server-rendered history ({@linkcode useHistoryReview}). */
    olderUndone?: number;
  },
) {
  const hidden = review.revertedFrom
    ? list.value.filter((message) => !review.shows(message.id)).length + olderUndone
    : 0;
  if (!review.revertedFrom && !review.notice) return null;
  return (
    <div class="revert-bar">
      {review.revertedFrom && (
        <p role="status">
          {hidden === 1 ? "1 message is undone" : `${hidden} messages are undone`}. Send a new
          message to continue from here, or{" "}
          <button
            type="button"
            class="button small"
            disabled={Boolean(review.working)}
            onClick={() => review.redo()}
          >
            Redo
          </button>
        </p>
      )}
      {review.notice && <p class="revert-notice" role="alert">{review.notice}</p>}
    </div>
  );
}
