import assert from "node:assert/strict";
import { renderToString } from "preact-render-to-string";
import type { Message, Part } from "@opencode-ai/sdk/v2/client";
import { groupTurns, MessageList, toolRunSummary, turnTotals } from "./messages.tsx";

const message = (id: string, role: "user" | "assistant", extra: Record<string, unknown> = {}) =>
  ({ id, role, sessionID: "s", time: { created: 1_000 }, ...extra }) as unknown as Message;
const tool = (id: string, name: string, status = "completed", filePath = "/p/a.ts") =>
  ({
    id,
    type: "tool",
    tool: name,
    messageID: "m",
    sessionID: "s",
    callID: id,
    state: { status, input: { filePath }, output: "ok", title: name, metadata: {}, time: {} },
  }) as unknown as Part;
const text = (id: string, value: string) =>
  ({ id, type: "text", text: value, messageID: "m", sessionID: "s" }) as unknown as Part;

Deno.test("assistant messages after a user message are one turn", () => {
  const groups = groupTurns(["u1", "a1", "a2", "u2", "a3"], (id) => id.startsWith("u"));
  assert.deepEqual(groups, [{ user: "u1" }, { turn: ["a1", "a2"] }, { user: "u2" }, {
    turn: ["a3"],
  }]);
});

Deno.test("a run of tool calls is summed up", () => {
  assert.equal(
    toolRunSummary([
      tool("1", "edit") as never,
      tool("2", "edit") as never,
      tool("3", "write", "completed", "/p/b.ts") as never,
      tool("4", "bash", "error") as never,
    ]),
    "4 tool calls · 2 files edited · 1 failed",
  );
});

Deno.test("a turn's figures add up its steps", () => {
  assert.equal(
    turnTotals([
      message("a1", "assistant", { tokens: { input: 1000, output: 10 }, cost: 0.001 }),
      message("a2", "assistant", {
        tokens: { input: 1200, output: 30 },
        cost: 0.002,
        time: { created: 2_000, completed: 5_200 },
      }),
    ]),
    "4.2 s · 2,200 in · 40 out tokens · $0.0030",
  );
});

Deno.test("the server renders a turn as one block, its tool run folded, every step anchored", () => {
  const html = renderToString(
    <MessageList
      messages={[
        { info: message("u1", "user"), parts: [text("p0", "Go")] },
        { info: message("a1", "assistant"), parts: [tool("p1", "read"), tool("p2", "edit")] },
        { info: message("a2", "assistant"), parts: [tool("p3", "edit", "completed", "/p/b.ts")] },
        { info: message("a3", "assistant"), parts: [text("p4", "Done.")] },
      ]}
    />,
  );
  assert.equal(html.match(/class="message-role"/g)?.length, 2, "You, and one Assistant");
  assert.equal(html.match(/<article class="message assistant turn"/g)?.length, 1);
  assert.match(html, /<summary>3 tool calls · 2 files edited<\/summary>/);
  for (const id of ["a1", "a2", "a3"]) assert.match(html, new RegExp(`id="message-${id}"`));
  assert.ok(html.indexOf("tool-run") < html.indexOf("Done."), "in order");
});
