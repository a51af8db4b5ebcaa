import assert from "node:assert/strict";
import { parsePatch } from "./changes.ts";
import { lineCount } from "./file_diff.tsx";

Deno.test("a new 2-line file's diff counts 2 lines, not its hunk header", () => {
  const patch =
    "--- /dev/null\n+++ b/new.txt\n@@ -0,0 +1,2 @@\n+one\n+two\n\\ No newline at end of file\n";
  assert.equal(lineCount(parsePatch(patch).lines), 2);
});
