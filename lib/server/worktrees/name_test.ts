import assert from "node:assert/strict";
import { worktreeName, worktreeSlug } from "./name.ts";

Deno.test("a worktree's name is the message's first words, slugged", () => {
  assert.equal(worktreeSlug("Fix the login bug, please!"), "fix-the-login-bug");
  assert.equal(worktreeSlug("  Écrire un résumé  "), "ecrire-un-resume");
  assert.equal(worktreeSlug("../../etc/passwd.lock"), "etc-passwd-lock");
  assert.equal(worktreeSlug("!!! ???"), "session");
  assert.equal(worktreeSlug("日本語"), "session");
  assert.equal(worktreeSlug("a".repeat(100)), "a".repeat(40));
  assert.equal(worktreeSlug("Refactor supercalifragilisticexpialidocious module"), "refactor");
});

Deno.test("a worktree's name is made unique", () => {
  assert.equal(worktreeName("Fix it", new Set()), "fix-it");
  assert.equal(worktreeName("Fix it", new Set(["fix-it"])), "fix-it-2");
  assert.equal(worktreeName("Fix it", new Set(["fix-it", "fix-it-2"])), "fix-it-3");
});

Deno.test("every name is a valid git branch name under opencode/", async () => {
  for (const text of ["Fix the bug", "-start", "end.", "a..b", "@{x}", "x.lock", "日本"]) {
    const name = worktreeName(text, new Set());
    const check = await new Deno.Command("git", {
      args: ["check-ref-format", "--branch", `opencode/${name}`],
      stdout: "null",
      stderr: "null",
    }).output();
    assert.ok(check.success, `opencode/${name} from ${JSON.stringify(text)}`);
  }
});
