import assert from "node:assert/strict";
import { join } from "node:path";
import { sessionPlace } from "./session_worktree.ts";
import { sandboxList } from "../../common/discovery_types.ts";

Deno.test("a session works in the checkout, a worktree (present or missing), or a deleted one", async () => {
  const data = await Deno.makeTempDir();
  try {
    const present = join(data, "worktree", "p1", "kiwi");
    const missing = join(data, "worktree", "p1", "lost");
    const deleted = join(data, "worktree", "p1", "gone");
    await Deno.mkdir(present, { recursive: true });
    const project = { worktree: "/home/me/app", sandboxes: [present, missing] };
    assert.deepEqual(sessionPlace(project, "/home/me/app", data), { kind: "checkout" });
    assert.deepEqual(sessionPlace(project, "/home/me/app/sub", data), { kind: "checkout" });
    assert.deepEqual(sessionPlace(project, present, data), {
      kind: "worktree",
      directory: present,
      present: true,
    });
    assert.deepEqual(sessionPlace(project, missing, data), {
      kind: "worktree",
      directory: missing,
      present: false,
    });
    assert.deepEqual(sessionPlace(project, deleted, data), { kind: "deleted", directory: deleted });
    assert.deepEqual(sessionPlace(undefined, present, data), { kind: "checkout" });
  } finally {
    await Deno.remove(data, { recursive: true });
  }
});

Deno.test("OpenCode's sandboxes column is read as a list of folders, whatever it holds", () => {
  assert.deepEqual(sandboxList('["/a","/b"]'), ["/a", "/b"]);
  assert.deepEqual(sandboxList(["/a", 3]), ["/a"]);
  assert.deepEqual(sandboxList("not json"), []);
  assert.deepEqual(sandboxList(null), []);
  assert.deepEqual(sandboxList('{"a":1}'), []);
});
