/**
 * The agent's plan in numbers: how many of its todos are done out of those it still means to do
 * (a cancelled item counts for neither), as `1 of 3`, in the pane's `Todo` tab and the session's
 * header.
 */

import type { Todo } from "@opencode-ai/sdk/v2/client";

/** `done of total`, or `undefined` for a session without todos. */
export function todoProgress(todos: Todo[]): { done: number; total: number } | undefined {
  const meant = todos.filter((todo) => todo.status !== "cancelled");
  if (todos.length === 0) return undefined;
  return { done: meant.filter((todo) => todo.status === "completed").length, total: meant.length };
}

/** `1 of 3`, or an empty string without todos. */
export function progressText(todos: Todo[]): string {
  const progress = todoProgress(todos);
  return progress ? `${progress.done} of ${progress.total}` : "";
}
