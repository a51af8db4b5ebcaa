/**
 * The composer's history, as in a shell: with the caret at the start of an empty message, or of
 * one the history put there unchanged, Up shows the previous message sent in this project and
 * Down the next, back to an empty box. The list comes from OpenCode's storage (`/api/prompts`,
 * most recent first) on the first Up, and messages sent from this page join it.
 */

import { palotApi } from "../live/page_server.ts";

/** Reads a project's earlier prompts, most recent first. */
export type PromptLoader = () => Promise<string[]>;

/** The loader for a project, through Palot's `/api/prompts` route (of the page's machine). */
export function storedPrompts(projectId: string): PromptLoader {
  return async () => {
    const response = await fetch(palotApi(`/api/prompts/${encodeURIComponent(projectId)}`));
    if (!response.ok) return [];
    return ((await response.json()) as { prompts: string[] }).prompts;
  };
}

/**
 * A history walker.
 *
 * @example
 * ```ts
 * const history = promptHistory(storedPrompts(projectId));
 * const text = await history.step("up", box.value); // undefined: leave the box as it is
 * ```
 */
export function promptHistory(load: PromptLoader) {
  let entries: Promise<string[]> | undefined;
  const sent: string[] = [];
  /** The entry on screen (-1: the user's own, empty, message). */
  let index = -1;
  let shown = "";
  return {
    /** Whether Up or Down over `current` belongs to the history (an empty box, or its own entry). */
    wants(current: string): boolean {
      return current === "" || (index >= 0 && current === shown);
    },
    /** The text to show after Up or Down over `current`, or `undefined` to leave it. */
    async step(direction: "up" | "down", current: string): Promise<string | undefined> {
      if (!this.wants(current)) return undefined;
      if (!(index >= 0 && current === shown)) index = -1;
      entries ??= load().catch(() => []);
      const list = [...sent, ...(await entries).filter((text) => !sent.includes(text))];
      const next = direction === "up" ? index + 1 : index - 1;
      if (next >= list.length || next < -1 || (next === -1 && index === -1)) return undefined;
      index = next;
      shown = next === -1 ? "" : list[next];
      return shown;
    },
    /** A message was sent from this page: it is the most recent now, and the walk starts over. */
    remember(text: string): void {
      const at = sent.indexOf(text);
      if (at >= 0) sent.splice(at, 1);
      sent.unshift(text);
      index = -1;
    },
  };
}

export type PromptHistory = ReturnType<typeof promptHistory>;
