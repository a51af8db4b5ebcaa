import assert from "node:assert/strict";
import { outgoing, replaceTrigger, triggerAt } from "./triggers.ts";

Deno.test("a / opens the command menu only at the start of the message", () => {
  assert.deepEqual(triggerAt("/rev", 4), { kind: "command", query: "rev", start: 0, end: 4 });
  assert.deepEqual(triggerAt("/", 1), { kind: "command", query: "", start: 0, end: 1 });
  assert.equal(triggerAt("/review main", 12), undefined, "arguments are being typed");
  assert.equal(triggerAt("see /etc", 8), undefined, "a / later in the line is text");
});

Deno.test("an @ at the start of a word opens the file menu", () => {
  assert.deepEqual(triggerAt("see @src/ma", 11), {
    kind: "mention",
    query: "src/ma",
    start: 4,
    end: 11,
  });
  assert.deepEqual(triggerAt("@", 1), { kind: "mention", query: "", start: 0, end: 1 });
  assert.equal(triggerAt("me@example.com", 14), undefined, "an address is text");
  assert.equal(triggerAt("see @src done", 13), undefined, "the caret left the word");
});

Deno.test("a choice replaces what was typed and leaves the caret after it", () => {
  assert.deepEqual(
    replaceTrigger("/gr", { kind: "command", query: "gr", start: 0, end: 3 }, "/greet "),
    { text: "/greet ", caret: 7 },
  );
  assert.deepEqual(
    replaceTrigger(
      "see @no please",
      { kind: "mention", query: "no", start: 4, end: 7 },
      "@notes.txt ",
    ),
    { text: "see @notes.txt please", caret: 15 },
  );
});

Deno.test("a message is a prompt, a known slash command, or a shell command", () => {
  const known = new Set(["review", "greet"]);
  assert.deepEqual(outgoing("/greet Bob  and Ann", known), {
    kind: "command",
    name: "greet",
    arguments: "Bob  and Ann",
  });
  assert.deepEqual(outgoing("/review", known), { kind: "command", name: "review", arguments: "" });
  assert.deepEqual(outgoing("/nosuch thing", known), { kind: "prompt", text: "/nosuch thing" });
  assert.deepEqual(outgoing("look at /greet", known), { kind: "prompt", text: "look at /greet" });
  assert.deepEqual(outgoing("!echo hi", known), { kind: "shell", command: "echo hi" });
  assert.deepEqual(outgoing("!", known), { kind: "prompt", text: "!" });
});
