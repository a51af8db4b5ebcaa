import assert from "node:assert/strict";
import { promptHistory } from "./prompt_history.ts";

Deno.test("Up and Down walk the project's prompts from an empty box, as in a shell", async () => {
  let loads = 0;
  const history = promptHistory(() => {
    loads++;
    return Promise.resolve(["third", "second", "first"]);
  });
  assert.equal(await history.step("down", ""), undefined, "nothing below the empty box");
  assert.equal(await history.step("up", ""), "third");
  assert.equal(await history.step("up", "third"), "second");
  assert.equal(await history.step("up", "second"), "first");
  assert.equal(await history.step("up", "first"), undefined, "the oldest stays");
  assert.equal(await history.step("down", "first"), "second");
  assert.equal(await history.step("down", "second"), "third");
  assert.equal(await history.step("down", "third"), "", "back to the empty box");
  assert.equal(loads, 1, "storage is read once");
});

Deno.test("an edited or typed message is never replaced", async () => {
  const history = promptHistory(() => Promise.resolve(["old"]));
  assert.equal(await history.step("up", "my own words"), undefined);
  assert.equal(await history.step("up", ""), "old");
  assert.equal(await history.step("down", "old, edited"), undefined);
});

Deno.test("a message sent from the page comes first, once", async () => {
  const history = promptHistory(() => Promise.resolve(["b", "a"]));
  history.remember("a");
  assert.equal(await history.step("up", ""), "a");
  assert.equal(await history.step("up", "a"), "b");
  assert.equal(await history.step("up", "b"), undefined);
});
