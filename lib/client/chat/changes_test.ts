import assert from "node:assert/strict";
import { joinDiffs, languageOf, parsePatch, sessionChanges, splitRows } from "./changes.ts";

const README_PATCH = "Index: README.md\n" +
  "===================================================================\n" +
  "--- README.md\t\n+++ README.md\t\n@@ -1,1 +1,2 @@\n-# alpha\n+# Alpha\n+more\n";

Deno.test("a patch becomes numbered lines without its headers", () => {
  const { lines, binary } = parsePatch(README_PATCH);
  assert.equal(binary, false);
  assert.deepEqual(lines, [
    { kind: "hunk", text: "@@ -1,1 +1,2 @@" },
    { kind: "del", text: "# alpha", oldNumber: 1 },
    { kind: "add", text: "# Alpha", newNumber: 1 },
    { kind: "add", text: "more", newNumber: 2 },
  ]);
});

Deno.test("git's patches: context lines, several files, no newline at end, binary", () => {
  const patch = "diff --git a/a.ts b/a.ts\nindex 1..2 100644\n--- a/a.ts\n+++ b/a.ts\n" +
    "@@ -3,2 +3,2 @@\n keep\n-old\n+new\n\\ No newline at end of file\n" +
    "diff --git a/b.txt b/b.txt\n--- a/b.txt\n+++ b/b.txt\n@@ -0,0 +1 @@\n+x\n";
  const { lines } = parsePatch(patch);
  assert.deepEqual(lines.map((line) => line.kind), [
    "hunk",
    "same",
    "del",
    "add",
    "meta",
    "hunk",
    "add",
  ]);
  assert.equal(lines[1].oldNumber, 3);
  assert.equal(lines[3].newNumber, 4);
  assert.equal(
    parsePatch("diff --git a/i.png b/i.png\nBinary files a/i.png and b/i.png differ\n").binary,
    true,
  );
  assert.deepEqual(parsePatch("").lines, []);
});

Deno.test("side by side: removed lines pair with the added lines after them", () => {
  const { lines } = parsePatch("@@ -1,3 +1,2 @@\n same\n-a\n-b\n+c\n");
  const rows = splitRows(lines);
  assert.equal(rows.length, 4);
  assert.equal(rows[0].full?.kind, "hunk");
  assert.equal(rows[1].left, rows[1].right);
  assert.deepEqual([rows[2].left?.text, rows[2].right?.text], ["a", "c"]);
  assert.deepEqual([rows[3].left?.text, rows[3].right], ["b", undefined]);
});

Deno.test("a session's changes: per-turn diffs joined per file, undone turns left out", () => {
  const messages = [
    {
      id: "msg_1",
      role: "user",
      summary: {
        diffs: [{ file: "a.txt", patch: "p1", additions: 2, deletions: 0, status: "added" }],
      },
    },
    { id: "msg_2", role: "assistant" },
    {
      id: "msg_3",
      role: "user",
      summary: {
        diffs: [
          { file: "a.txt", patch: "p2", additions: 1, deletions: 1, status: "modified" },
          { file: "b.txt", patch: "p3", additions: 0, deletions: 4, status: "deleted" },
        ],
      },
    },
  ];
  const files = sessionChanges(undefined, messages);
  assert.deepEqual(files, [
    { file: "a.txt", additions: 3, deletions: 1, status: "added", patches: ["p1", "p2"] },
    { file: "b.txt", additions: 0, deletions: 4, status: "deleted", patches: ["p3"] },
  ]);
  assert.deepEqual(sessionChanges(undefined, messages, "msg_3").map((file) => file.file), [
    "a.txt",
  ]);
  assert.deepEqual(sessionChanges([], messages, "msg_1"), []);
  const sessionWide = [{ file: "c.txt", additions: 1, deletions: 0 }];
  assert.deepEqual(
    sessionChanges(sessionWide, messages).map((file) => file.file),
    ["a.txt", "b.txt"],
    "per-message diffs win",
  );
  const wide = sessionChanges(sessionWide, [{ id: "msg_1", role: "user" }]);
  assert.deepEqual(wide.map((file) => [file.file, file.status]), [["c.txt", "modified"]]);
  assert.deepEqual(sessionChanges(sessionWide, [], "msg_1"), [], "not the revert's own diff");
  assert.deepEqual(joinDiffs([[{ patch: "nameless" }]]), []);
});

Deno.test("languages by extension", () => {
  assert.equal(languageOf("src/app.tsx"), "typescript");
  assert.equal(languageOf("README.MD"), "markdown");
  assert.equal(languageOf("Makefile"), undefined);
  assert.equal(languageOf(".env"), undefined);
});
