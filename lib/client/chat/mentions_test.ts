import assert from "node:assert/strict";
import { fileUrl, mentionParts, mentionsIn } from "./mentions.ts";

Deno.test("mentions are sent as file parts with a file:// URL of the absolute path", () => {
  assert.deepEqual(mentionParts("/home/me/app", [{ path: "src/a b.ts" }, { path: "docs/" }]), [
    {
      type: "file",
      mime: "text/plain",
      filename: "src/a b.ts",
      url: "file:///home/me/app/src/a%20b.ts",
    },
    {
      type: "file",
      mime: "application/x-directory",
      filename: "docs",
      url: "file:///home/me/app/docs",
    },
  ]);
  assert.equal(fileUrl("/tmp/100%/#x"), "file:///tmp/100%25/%23x");
});

Deno.test("only mentions still in the text are sent, each once", () => {
  const mentions = [{ path: "a.ts" }, { path: "b.ts" }, { path: "a.ts" }];
  assert.deepEqual(mentionsIn("look at @a.ts", mentions), [{ path: "a.ts" }]);
});
