import assert from "node:assert/strict";
import { progressText, todoProgress } from "./todo_progress.ts";

const todo = (status: string) => ({ content: status, status, priority: "medium" });

Deno.test("todo progress counts the done items of those still meant to be done", () => {
  assert.equal(todoProgress([]), undefined);
  assert.equal(progressText([]), "");
  assert.equal(
    progressText([todo("completed"), todo("in_progress"), todo("pending")]),
    "1 of 3",
  );
  assert.deepEqual(
    todoProgress([todo("completed"), todo("cancelled"), todo("completed")]),
    { done: 2, total: 2 },
  );
});
