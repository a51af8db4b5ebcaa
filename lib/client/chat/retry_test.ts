import assert from "node:assert/strict";
import type { Message, Part } from "@opencode-ai/sdk/v2/client";
import { retryParts, retrySettings, untilIdle } from "./retry.ts";

const base = { id: "p", sessionID: "s", messageID: "m" };

Deno.test("Retry sends the user's own text and files again, not what OpenCode added", () => {
  const parts = [
    { ...base, type: "text", text: "Read this" },
    { ...base, type: "text", text: "Called the Read tool…", synthetic: true },
    {
      ...base,
      type: "file",
      mime: "text/plain",
      filename: "a.txt",
      url: "data:text/plain;base64,QQ==",
    },
    { ...base, type: "step-start" },
  ] as Part[];
  assert.deepEqual(retryParts(parts), [
    { type: "text", text: "Read this" },
    { type: "file", mime: "text/plain", filename: "a.txt", url: "data:text/plain;base64,QQ==" },
  ]);
});

Deno.test("Retry uses the message's own agent, model and variant", () => {
  const info = {
    id: "m",
    sessionID: "s",
    role: "user",
    time: { created: 1 },
    agent: "plan",
    model: { providerID: "mock", modelID: "mock-2", variant: "high" },
  } as Message;
  assert.deepEqual(retrySettings(info), {
    agent: "plan",
    model: { providerID: "mock", modelID: "mock-2" },
    variant: "high",
  });
});

Deno.test("the click waits until OpenCode says idle, for a bounded time", async () => {
  let calls = 0;
  assert.equal(await untilIdle({ idle: () => Promise.resolve(++calls >= 3) }, "s", 5_000), true);
  assert.equal(calls, 3);
  assert.equal(await untilIdle({ idle: () => Promise.resolve(false) }, "s", 300), false);
  // An error asking counts as not idle yet.
  assert.equal(await untilIdle({ idle: () => Promise.reject(new Error("x")) }, "s", 100), false);
});
