/**
 * The pane's `Todo` tab: the session's todo list as the agent keeps it (`todowrite`, kept live by
 * `todo.updated`), each item with its state, and the progress.
 */

import type { Todo } from "@opencode-ai/sdk/v2/client";
import { progressText } from "./todo_progress.ts";

/** Each state OpenCode's agents write, as the user reads it. */
const STATES: Record<string, { label: string; mark: string }> = {
  pending: { label: "Pending", mark: "○" },
  in_progress: { label: "In progress", mark: "◐" },
  completed: { label: "Done", mark: "●" },
  cancelled: { label: "Cancelled", mark: "⊘" },
};

export function TodoTab({ todos }: { todos: Todo[] }) {
  if (todos.length === 0) {
    return <p class="muted pane-empty">The agent has not written a todo list in this session.</p>;
  }
  return (
    <div class="todo-tab">
      <p class="todo-progress" role="status">{progressText(todos)} done</p>
      <ul class="todo-list" aria-label="Todo list">
        {todos.map((todo, index) => {
          const state = STATES[todo.status] ?? { label: todo.status, mark: "○" };
          return (
            <li key={index} class={`todo todo-${todo.status}`}>
              <span class="todo-mark" aria-hidden="true">{state.mark}</span>
              <span class="todo-content">{todo.content}</span>
              <span class="todo-state">{state.label}</span>
            </li>
          );
        })}
      </ul>
    </div>
  );
}
