/**
 * The composer's draft outside the page: its text and `@file` mentions kept per chat in local
 * storage as they are typed (so they survive navigation, reloads and refused sends), and
 * {@linkcode offerDraft}, through which other parts of the chat put text back into an empty box,
 * and {@linkcode typedBeforeHydration}, what was typed before the composer took over the page.
 */

import { IS_BROWSER } from "../ui/is_browser.ts";

/** A file or folder mentioned with `@`, relative to the project (a folder ends with `/`). */
export interface Mention {
  path: string;
}

export interface StoredDraft {
  text: string;
  mentions: Mention[];
}

/** The draft kept under `key`, or an empty one. */
export function readDraft(key: string): StoredDraft {
  try {
    const text = localStorage.getItem(key) ?? "";
    const mentions = JSON.parse(localStorage.getItem(`${key}:mentions`) ?? "[]");
    return { text, mentions: Array.isArray(mentions) ? mentions : [] };
  } catch {
    return { text: "", mentions: [] };
  }
}

/** Keeps the draft under `key`; an empty draft removes it. */
export function writeDraft(key: string, draft: StoredDraft): void {
  try {
    if (draft.text) localStorage.setItem(key, draft.text);
    else localStorage.removeItem(key);
    if (draft.text && draft.mentions.length) {
      localStorage.setItem(`${key}:mentions`, JSON.stringify(draft.mentions));
    } else localStorage.removeItem(`${key}:mentions`);
  } catch { /* storage disabled or full: the draft lives as long as the page */ }
}

let offer: ((text: string) => boolean) | undefined;

/**
 * Puts `text` into the message box if it is empty (for example a message taken back by Undo), and
 * focuses it; resolves whether it did. Nothing a user typed is ever overwritten.
 *
 * @example
 * ```ts
 * if (!offerDraft(text)) notify("Your draft was kept; the undone message is in the history (Up)");
 * ```
 */
export function offerDraft(text: string): boolean {
  return offer?.(text) ?? false;
}

/** Registers the composer that {@linkcode offerDraft} fills; returns the unregistration. */
export function acceptOffers(accept: (text: string) => boolean): () => void {
  offer = accept;
  return () => {
    if (offer === accept) offer = undefined;
  };
}

let mention: ((path: string) => void) | undefined;

/**
 * Adds `@path` (a project file) to the end of the message, as a mention, and focuses the box.
 *
 * @example
 * ```ts
 * mentionInDraft("src/main.ts");
 * ```
 */
export function mentionInDraft(path: string): void {
  mention?.(path);
}

/** Registers the composer that {@linkcode mentionInDraft} adds to; returns the unregistration. */
export function acceptMentions(accept: (path: string) => void): () => void {
  mention = accept;
  return () => {
    if (mention === accept) mention = undefined;
  };
}

/** The id of the composer's message box. */
export const BOX_ID = "composer-message";

/**
 * What the user typed into the server-rendered box before the page's script took over: hydration
 * sets the box to the composer's state, which starts empty like the server's, and would lose it.
 */
export function typedBeforeHydration(): string {
  if (!IS_BROWSER) return "";
  return (document.getElementById(BOX_ID) as HTMLTextAreaElement | null)?.value ?? "";
}
