/**
 * Deleting a worktree: its folder and its branch. OpenCode's `DELETE /experimental/worktree`
 * removes both (uncommitted work included, so the page asks first) and drops it from the project's
 * sandboxes; git then removes whatever is left (a folder OpenCode kept, a branch, the stale entry
 * of a folder deleted by hand), so the repository holds no trace of it.
 */

import { exists } from "../exists.ts";
import type { EndpointSource } from "../opencode/endpoint.ts";
import { opencodeApi } from "../opencode/opencode_api.ts";
import { git } from "./git.ts";
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
    if (exists(directory)) {
      await git(checkout, ["worktree", "remove", "--force", directory], { timeoutMs: 60_000 });
    }
    await git(checkout, ["worktree", "prune"], { timeoutMs: 10_000 });
    if (branch) {
      const left = await git(checkout, [
        "rev-parse",
        "--verify",
        "--quiet",
        `refs/heads/${branch}`,
      ]);
      if (left.ok) await git(checkout, ["branch", "-D", branch], { timeoutMs: 10_000 });
    }
  });
}
