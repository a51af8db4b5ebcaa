/**
 * Deleting a worktree: its folder and its branch. OpenCode's `DELETE /experimental/worktree`
 * removes both (uncommitted work included, so the page asks first) and drops it from the project's
 * sandboxes; git then removes whatever is left (a folder OpenCode kept, a branch, the stale entry
 * of a folder deleted by hand), so the repository holds no trace of it.
 */

import { exists } from "../exists.ts";
import type { EndpointSource } from "../opencode/endpoint.ts";
import { opencodeApi } from "../opencode/opencode_api.ts";
import { git, GitError } from "./git.ts";
import { sleep } from "../sleep.ts";
import { withMergeLock } from "./merge_lock.ts";
import { currentBranch } from "./state.ts";

/** The branch git records for the worktree at `directory`, even when its folder is gone. */
async function recordedBranch(checkout: string, directory: string): Promise<string | undefined> {
  if (exists(directory)) {
    const branch = await currentBranch(directory);
    if (branch) return branch;
  }
  const list = await git(checkout, ["worktree", "list", "--porcelain"], { timeoutMs: 10_000 });
  let path: string | undefined;
  for (const line of list.stdout.split("\n")) {
    if (line.startsWith("worktree ")) path = line.slice(9);
    else if (path === directory && line.startsWith("branch refs/heads/")) {
      return line.slice("branch refs/heads/".length);
    }
  }
  return undefined;
}

/**
 * Removes the worktree at `directory` of the repository at `checkout`, and its branch
 * (`branchHint` when git no longer knows which it was, for a folder deleted by hand).
 *
 * @example
 * ```ts
 * await removeWorktree(supervisor, "/home/me/app", "/data/opencode/worktree/abc/kiwi");
 * ```
 */
export function removeWorktree(
  source: EndpointSource,
  checkout: string,
  directory: string,
  branchHint?: string,
): Promise<void> {
  return withMergeLock(checkout, async () => {
    const branch = await recordedBranch(checkout, directory) ?? branchHint;
    await opencodeApi(source, "/experimental/worktree", {
      method: "DELETE",
      directory: checkout,
      body: { directory },
      timeoutMs: 60_000,
    });
    // OpenCode may still be finishing its own clean-up: what it leaves, git removes, a few tries.
    let problem = "";
    for (let attempt = 0; attempt < 10; attempt++) {
      if (attempt > 0) await sleep(300);
      if (exists(directory)) {
        const removed = await git(checkout, ["worktree", "remove", "--force", directory], {
          timeoutMs: 60_000,
        });
        if (!removed.ok) problem = removed.stderr.trim();
      }
      await git(checkout, ["worktree", "prune"], { timeoutMs: 10_000 });
      if (branch && await hasBranch(checkout, branch)) {
        const deleted = await git(checkout, ["branch", "-D", branch], { timeoutMs: 10_000 });
        if (!deleted.ok) problem = deleted.stderr.trim();
      }
      if (!exists(directory) && !(branch && await hasBranch(checkout, branch))) return;
    }
    throw new GitError(
      `The worktree's ${exists(directory) ? "folder" : "branch"} could not be removed: ${problem}`,
    );
  });
}

async function hasBranch(checkout: string, branch: string): Promise<boolean> {
  return (await git(checkout, ["rev-parse", "--verify", "--quiet", `refs/heads/${branch}`])).ok;
}
