/**
 * Discovery against hand-made legacy JSON fixtures (against storage written by the real opencode:
 * `integration/discovery_test.ts`).
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { globalProjectId, openDiscovery } from "./mod.ts";

const TESTDATA = join(import.meta.dirname!, "testdata");

Deno.test("legacy JSON storage gives the same kind of listing, skipping corrupt files", () => {
  const warnings: string[] = [];
  const warn = console.warn;
  console.warn = (...args: unknown[]) => warnings.push(args.join(" "));
  try {
    const discovery = openDiscovery(join(TESTDATA, "legacy"));
    assert.equal(discovery.kind, "legacy");
    const projects = discovery.listProjects();
    assert.deepEqual(
      projects.map(({ name, sessionCount }) => ({ name, sessionCount })),
      [{ name: "My App", sessionCount: 2 }, { name: "notes", sessionCount: 1 }, {
        name: "tool",
        sessionCount: 0,
      }],
    );
    const app = projects[0];
    const { sessions } = discovery.listSessions(app.id);
    assert.deepEqual(sessions.map((session) => session.title), ["Fix the build", "Add a README"]);
    assert.equal(sessions[0].childCount, 1);
    assert.equal(discovery.listSessions(app.id, { archived: true }).sessions.length, 3);
    const notes = projects[1];
    assert.equal(notes.id, globalProjectId("/home/me/notes"));
    const messages = discovery.listMessages("ses_legacy_fix");
    assert.deepEqual(messages.map((message) => message.info.role), ["user", "assistant"]);
    assert.deepEqual(messages[1].parts.map((part) => part.type), ["text", "tool"]);
    const [reply] = messages[1].parts;
    assert.equal(reply.type === "text" && reply.text, "Done: **fixed**.");
    assert.deepEqual(discovery.listPrompts(app.id), ["Please fix the build"]);
    // The corrupt session file is named once, however often it is read again.
    discovery.close();
    assert.equal(discovery.listProjects().length, 3);
    assert.equal(warnings.filter((line) => line.includes("broken.json")).length, 1);
    discovery.close();
  } finally {
    console.warn = warn;
  }
});

Deno.test("a missing data dir is an empty, named store", () => {
  const discovery = openDiscovery("/no/such/opencode");
  assert.equal(discovery.kind, "missing");
  assert.equal(discovery.dataDir, "/no/such/opencode");
  assert.deepEqual(discovery.listProjects(), []);
  assert.equal(discovery.getSession("x"), undefined);
  discovery.close();
});

Deno.test("storage that appears after start is read at once", async () => {
  const dataDir = await Deno.makeTempDir({ prefix: "palot-discovery-" });
  try {
    const discovery = openDiscovery(dataDir);
    assert.equal(discovery.kind, "missing");
    await Deno.symlink(join(TESTDATA, "legacy", "storage"), join(dataDir, "storage"));
    assert.equal(discovery.kind, "legacy");
    assert.equal(discovery.listProjects().length, 3);
    discovery.close();
  } finally {
    await Deno.remove(dataDir, { recursive: true });
  }
});
