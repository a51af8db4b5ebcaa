import assert from "node:assert/strict";
import type { Message, Part } from "@opencode-ai/sdk/v2/client";
import { isShown, userText } from "./revert.ts";
import { contextUsed } from "./session_facts.tsx";

Deno.test("an undo hides its message and every later one", () => {
  assert.equal(isShown("msg_2", undefined), true);
  assert.equal(isShown("msg_1", "msg_2"), true);
  assert.equal(isShown("msg_2", "msg_2"), false);
  assert.equal(isShown("msg_3", "msg_2"), false);
});

Deno.test("a user message's text leaves out synthetic parts and files", () => {
  const parts = [
    { type: "text", text: "Write the files" },
    { type: "text", text: "(the file's content)", synthetic: true },
    { type: "file", filename: "a.txt" },
    { type: "text", text: "please" },
  ] as unknown as Part[];
  assert.equal(userText(parts), "Write the files\nplease");
  assert.equal(userText([]), "");
});

Deno.test("context used: the last assistant message with tokens, cache included", () => {
  const messages = [
    {
      role: "assistant",
      providerID: "mock",
      modelID: "one",
      tokens: { input: 1, output: 1, reasoning: 0, cache: { read: 0, write: 0 } },
    },
    {
      role: "assistant",
      providerID: "mock",
      modelID: "two",
      tokens: { input: 100, output: 20, reasoning: 5, cache: { read: 50, write: 10 } },
    },
    { role: "user" },
    {
      role: "assistant",
      providerID: "mock",
      modelID: "three",
      tokens: { input: 0, output: 0, reasoning: 0, cache: { read: 0, write: 0 } },
    },
  ] as Message[];
  assert.deepEqual(contextUsed(messages), { tokens: 185, model: "mock/two" });
  assert.equal(contextUsed([{ role: "user" } as Message]), undefined);
});
