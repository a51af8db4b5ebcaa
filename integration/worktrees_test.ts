/**
 * The worktree git layer against the real opencode and real git: OpenCode creates a worktree
 * (named from the message, made unique), discovery lists it in the project's sandboxes, a session
 * made there keeps the project's id; the merge preview; Merge brings the change into the
 * checkout's branch and leaves both clean; a conflict, a dirty checkout and a detached HEAD are
 * refused with both sides exactly as they were; two merges at once are never interleaved; Delete
 * removes the folder and the branch, also of a folder deleted by hand.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { OpencodeWorld, waitFor } from "../testing/world.ts";
import { openDiscovery } from "../lib/server/discovery/mod.ts";
import { basicAuthorization } from "../lib/server/opencode/endpoint.ts";
import { createWorktree } from "../lib/server/worktrees/create.ts";
import { MergeRefusedError, mergeWorktree, previewMerge } from "../lib/server/worktrees/merge.ts";
import { MergeBusyError } from "../lib/server/worktrees/merge_lock.ts";
import { removeWorktree } from "../lib/server/worktrees/remove.ts";
import { worktreeState } from "../lib/server/worktrees/state.ts";

const exists = (path: string) => Deno.stat(path).then(() => true, () => false);

Deno.test("worktrees: create, state, preview, merge, refusals that change nothing, delete", async () => {
  await using world = await OpencodeWorld.create();
  const repo = await world.makeProject("alpha");
  await world.run("git", ["config", "user.name", "Repo User"], repo);
  await world.run("git", ["config", "user.email", "repo@example.invalid"], repo);
  await using opencode = await world.startOpencode();
  const source = {
    endpoint: () => ({ url: opencode.url, authorization: basicAuthorization(opencode.password) }),
  };
  const sh = (cwd: string, ...args: string[]) => world.run("git", args, cwd);
  const worktreeFolders = async () =>
    (await sh(repo, "worktree", "list", "--porcelain")).split("\n")
      .filter((line) => line.startsWith("worktree ")).map((line) => line.slice(9));
  /** Everything a refused merge must leave as it was, on one side. */
  const snapshot = async (dir: string) => ({
    head: await sh(dir, "rev-parse", "HEAD"),
    branch: await sh(dir, "rev-parse", "--abbrev-ref", "HEAD"),
    status: await sh(dir, "status", "--porcelain=v1", "--untracked-files=all"),
    staged: await sh(dir, "diff", "--cached", "--name-only"),
    readme: await Deno.readTextFile(join(dir, "README.md")),
    log: await sh(dir, "log", "--all", "--format=%H %s"),
  });

  // Created by OpenCode, named from the message, unique.
  const first = await createWorktree(source, repo, "Add a greeting file, please", []);
  assert.equal(first.branch, "opencode/add-a-greeting-file");
  assert.ok(await exists(first.directory));
  const second = await createWorktree(source, repo, "Add a greeting file", [first.directory]);
  assert.equal(second.branch, "opencode/add-a-greeting-file-2");

  // A session made there keeps the project's id; discovery lists the worktrees.
  const session = (await opencode.client(first.directory).session.create({}, {
    throwOnError: true,
  })).data;
  const discovery = openDiscovery(world.dataDir);
  try {
    // OpenCode records a worktree in its project's row just after it answers the create.
    const project = await waitFor(() => {
      const found = discovery.listProjects().find((item) => item.worktree === repo)!;
      return found.sandboxes?.length === 2 ? found : undefined;
    }, { message: "both worktrees in the project's sandboxes" });
    assert.equal(session.projectID, project.id);
    assert.deepEqual(project.sandboxes?.toSorted(), [first.directory, second.directory].toSorted());
    assert.equal(discovery.listProjects().length, 1, "a worktree is not a project of its own");
  } finally {
    discovery.close();
  }

  // What the agent did in the worktree: a new file and an edit, uncommitted.
  await Deno.writeTextFile(join(first.directory, "hello.txt"), "hello\nworld\n");
  await Deno.writeTextFile(join(first.directory, "README.md"), "# alpha\nmore\n");
  assert.equal(await exists(join(repo, "hello.txt")), false, "only the worktree has it");
  let state = await worktreeState(first.directory, repo);
  assert.deepEqual(
    { branch: state.branch, changed: state.changedFiles, ahead: state.ahead, behind: state.behind },
    { branch: "opencode/add-a-greeting-file", changed: 2, ahead: 0, behind: 0 },
  );
  const before = await snapshot(first.directory);
  const preview = await previewMerge(repo, first.directory, "Greeting");
  assert.equal(preview.refusal, undefined);
  assert.equal(preview.base, "main");
  assert.deepEqual(preview.files.toSorted((a, b) => a.path < b.path ? -1 : 1), [
    { path: "README.md", additions: 1, deletions: 0 },
    { path: "hello.txt", additions: 2, deletions: 0 },
  ]);
  assert.deepEqual(await snapshot(first.directory), before, "a preview changes nothing");

  // Merge: committed with the session's title by the configured user, merged into main.
  const merged = await mergeWorktree(repo, first.directory, "Add a greeting");
  assert.equal(merged.committed, true);
  assert.equal(await Deno.readTextFile(join(repo, "hello.txt")), "hello\nworld\n");
  assert.equal(await sh(repo, "status", "--porcelain"), "", "the checkout is left clean");
  assert.equal(await sh(first.directory, "status", "--porcelain"), "");
  assert.equal(
    await sh(first.directory, "log", "-1", "--format=%s|%an|%ae"),
    "Add a greeting|Repo User|repo@example.invalid\n",
  );
  assert.equal((await sh(repo, "rev-parse", "--abbrev-ref", "HEAD")).trim(), "main");
  state = await worktreeState(first.directory, repo);
  assert.equal(state.ahead, 0);
  assert.equal(state.changedFiles, 0);

  // A conflict: main and the second worktree change the same line.
  await Deno.writeTextFile(join(second.directory, "README.md"), "# from the worktree\n");
  await Deno.writeTextFile(join(second.directory, "notes.txt"), "untracked note\n");
  state = await worktreeState(second.directory, repo);
  assert.equal(state.behind, 1, "main moved on with the first merge");
  const repoBefore = await snapshot(repo);
  const worktreeBefore = await snapshot(second.directory);
  await assert.rejects(
    () => mergeWorktree(repo, second.directory, "Conflicting"),
    (error: Error) =>
      error instanceof MergeRefusedError && /conflicts in README\.md/.test(error.message),
  );
  assert.deepEqual(await snapshot(repo), repoBefore, "the checkout is as it was");
  assert.deepEqual(await snapshot(second.directory), worktreeBefore, "the worktree is as it was");
  assert.equal(await Deno.readTextFile(join(second.directory, "notes.txt")), "untracked note\n");

  // A dirty checkout is refused; nothing moves.
  const third = await createWorktree(source, repo, "Third", []);
  await Deno.writeTextFile(join(third.directory, "third.txt"), "3\n");
  await Deno.writeTextFile(join(repo, "README.md"), "# alpha\nmore\nlocal edit\n");
  const dirtyBefore = await snapshot(repo);
  const thirdBefore = await snapshot(third.directory);
  await assert.rejects(
    () => mergeWorktree(repo, third.directory, "Third"),
    (error: Error) =>
      error instanceof MergeRefusedError && /uncommitted changes \(README\.md\): commit or stash/
        .test(error.message),
  );
  assert.deepEqual(await snapshot(repo), dirtyBefore);
  assert.deepEqual(await snapshot(third.directory), thirdBefore);
  await sh(repo, "checkout", "--", "README.md");

  // A detached HEAD is refused; nothing moves.
  await sh(repo, "checkout", "-q", "--detach");
  const detachedBefore = await snapshot(repo);
  await assert.rejects(
    () => mergeWorktree(repo, third.directory, "Third"),
    (error: Error) => error instanceof MergeRefusedError && /detached HEAD/.test(error.message),
  );
  assert.deepEqual(await snapshot(repo), detachedBefore);
  assert.deepEqual(await snapshot(third.directory), thirdBefore);
  await sh(repo, "checkout", "-q", "main");

  // git itself refuses (an untracked file in the checkout would be overwritten): the merge is
  // aborted and the worktree's new commit taken back, both sides as they were.
  await Deno.writeTextFile(join(repo, "third.txt"), "mine, untracked\n");
  const untrackedBefore = await snapshot(repo);
  await assert.rejects(
    () => mergeWorktree(repo, third.directory, "Third"),
    (error: Error) =>
      error instanceof MergeRefusedError && /would be overwritten/.test(error.message) &&
      /both sides are as they were/.test(error.message),
  );
  assert.deepEqual(await snapshot(repo), untrackedBefore);
  assert.deepEqual(await snapshot(third.directory), thirdBefore, "the commit was taken back");
  assert.equal(await Deno.readTextFile(join(repo, "third.txt")), "mine, untracked\n");
  await Deno.remove(join(repo, "third.txt"));

  // Two merges at once: the second is refused, never interleaved; the first merges.
  const [one, two] = await Promise.allSettled([
    mergeWorktree(repo, third.directory, "Third"),
    mergeWorktree(repo, third.directory, "Third"),
  ]);
  assert.equal(one.status, "fulfilled");
  assert.ok(two.status === "rejected" && two.reason instanceof MergeBusyError);
  assert.equal(await Deno.readTextFile(join(repo, "third.txt")), "3\n");
  assert.equal(await sh(repo, "status", "--porcelain"), "");

  // Delete: folder and branch gone, for git and for OpenCode.
  await removeWorktree(source, repo, first.directory);
  assert.equal(await exists(first.directory), false);
  assert.equal(await sh(repo, "branch", "--list", "opencode/add-a-greeting-file"), "");
  assert.ok(!(await worktreeFolders()).includes(first.directory));
  const listed = await (await opencode.fetch(
    `/experimental/worktree?directory=${encodeURIComponent(repo)}`,
  )).json();
  assert.ok(!listed.includes(first.directory));

  // A folder deleted by hand: missing, and forgotten with its branch.
  await Deno.remove(second.directory, { recursive: true });
  state = await worktreeState(second.directory, repo);
  assert.equal(state.present, false);
  await removeWorktree(source, repo, second.directory);
  assert.equal(await sh(repo, "branch", "--list", "opencode/add-a-greeting-file-2"), "");
  assert.ok(!(await worktreeFolders()).includes(second.directory));
});
