/** The session's todo list beside the chat, as the agent keeps it (`todo.updated`). */

import type { Todo } from "@opencode-ai/sdk/v2/client";

export function TodoList({ todos }: { todos: Todo[] }) {
  if (todos.length === 0) return null;
  return (
    <aside class="todos" aria-label="Todo list">
      <h2>Todo</h2>
      <ul>
        {todos.map((todo, index) => (
          <li key={index} class={`todo todo-${todo.status}`}>
            <span class="todo-status">{todo.status.replace("_", " ")}</span> {todo.content}
          </li>
        ))}
      </ul>
    </aside>
  );
}
