import assert from "node:assert/strict";
import { activityLine, activityRows, doingNow, projectActivity, toolDoing } from "./activity.ts";

Deno.test("doingNow says what the latest part does", () => {
  assert.equal(doingNow([]), "Thinking…");
  assert.equal(
    doingNow([{
      type: "tool",
      tool: "bash",
      state: { status: "running", input: { command: "npm test" } },
    }]),
    "Running bash: npm test",
  );
  assert.equal(
    doingNow(
      [{
        type: "tool",
        tool: "edit",
        state: { status: "pending", input: { filePath: "/p/src/app.ts" } },
      }],
      { directory: "/p" },
    ),
    "Editing src/app.ts",
  );
  assert.equal(
    doingNow([{ type: "tool", tool: "read", state: { status: "completed", input: {} } }]),
    "Thinking…",
  );
  assert.equal(doingNow([{ type: "text", text: "" }]), "Writing…");
  assert.equal(doingNow([{ type: "reasoning", text: "hm" }]), "Thinking…");
  assert.equal(doingNow([{ type: "text", text: "x" }], { waiting: true }), "Waiting for you");
  assert.equal(
    toolDoing("bash", { command: "x".repeat(100) }).length,
    "Running bash: ".length + 60,
  );
});

Deno.test("activityLine: waiting first, then what it does while it works", () => {
  assert.equal(activityLine({ status: "busy", waiting: 1, doing: "Editing a" }), "Waiting for you");
  assert.equal(activityLine({ status: "busy", waiting: 0, doing: "Editing a" }), "Editing a");
  assert.equal(activityLine({ status: "busy", waiting: 0 }), "Working…");
  assert.equal(activityLine({ status: "idle", waiting: 0, doing: "Editing a" }), "");
});

Deno.test("a parent row says what its working sub-agent does", () => {
  const base = { directory: "/p", title: "", permissions: [], questions: [] };
  const [row] = activityRows([
    { ...base, id: "a", status: "busy" },
    { ...base, id: "b", parentID: "a", status: "busy", doing: "Reading x" },
  ]);
  assert.equal(row.doing, "Reading x");
});

Deno.test("a project's badges count its own machine's sessions, not a namesake folder elsewhere", () => {
  const rows = activityRows([
    { id: "a", title: "", directory: "/w/app", status: "busy", permissions: [], questions: [] },
    {
      id: "b",
      title: "",
      server: "desk",
      directory: "/w/app",
      status: "busy",
      permissions: [],
      questions: [],
    },
    {
      id: "c",
      title: "",
      server: "desk",
      directory: "/w/app/.wt/x",
      status: "idle",
      permissions: [{ id: "p" } as never],
      questions: [],
    },
  ]);
  assert.deepEqual(projectActivity(["/w/app"], rows), { working: 1, waiting: 0 });
  assert.deepEqual(projectActivity(["/w/app"], rows, "desk"), { working: 1, waiting: 1 });
  assert.deepEqual(projectActivity(["/w/app"], rows, "vm"), { working: 0, waiting: 0 });
});
