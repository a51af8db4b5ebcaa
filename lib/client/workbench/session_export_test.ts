import assert from "node:assert/strict";
import type { Message, Part, Session } from "@opencode-ai/sdk/v2/client";
import { exportName, sessionJson, sessionMarkdown } from "./session_export.ts";

const session = {
  id: "ses_1",
  title: "Fix the build!",
  directory: "/work/app",
  time: { created: 0, updated: 0 },
} as unknown as Session;
const time = { created: Date.UTC(2026, 0, 2, 10, 0) };
const messages = [
  {
    info: { id: "m1", role: "user", time, agent: "build" } as unknown as Message,
    parts: [{ id: "p1", type: "text", text: "Fix `main.ts`" }] as Part[],
  },
  {
    info: {
      id: "m2",
      role: "assistant",
      time,
      agent: "build",
      providerID: "p",
      modelID: "m",
    } as unknown as Message,
    parts: [
      { id: "r", type: "reasoning", text: "secret thoughts" },
      {
        id: "t",
        type: "tool",
        tool: "edit",
        state: {
          status: "completed",
          title: "main.ts",
          input: { filePath: "/work/app/main.ts", oldString: "a", newString: "b ```" },
        },
      },
      { id: "x", type: "text", text: "Done." },
    ] as unknown as Part[],
  },
];

Deno.test("a session exported as Markdown reads as the conversation, tools summarised", () => {
  const markdown = sessionMarkdown(session, messages);
  assert.match(markdown, /^# Fix the build!\n/);
  assert.match(markdown, /## User · 2026-01-02 10:00\n\nFix `main.ts`/);
  assert.match(markdown, /## Assistant \(build\) · p\/m · 2026-01-02 10:00/);
  assert.match(markdown, /- \*\*edit\*\* `main.ts`: completed/);
  // The diff's fence is longer than the backticks inside it.
  assert.match(markdown, /````diff\n-a\n\+b ```\n````/);
  assert.match(markdown, /Done\./);
  assert.doesNotMatch(markdown, /secret thoughts/);
});

Deno.test("a session exported as JSON keeps OpenCode's shapes whole", () => {
  const parsed = JSON.parse(sessionJson(session, messages));
  assert.deepEqual(parsed, { info: session, messages });
  assert.equal(exportName(session, "json"), "fix-the-build.json");
  assert.equal(exportName({ ...session, title: "" }, "markdown"), "session.md");
});
