/**
 * What a worktree holds compared with its project's checkout: its branch, its uncommitted changes,
 * and its commits ahead of and behind the branch the checkout is on. Read with git in the
 * worktree's own folder; a folder gone from disk is reported as missing, not as an error.
 */

import { exists } from "../exists.ts";
import { git, gitOk } from "./git.ts";

export interface WorktreeState {
  directory: string;
  /** Whether the folder is on disk (a folder deleted by hand is missing). */
  present: boolean;
  /** The worktree's branch (`opencode/<name>`), when it is on one. */
  branch?: string;
  /** Files with uncommitted changes, untracked ones included. */
  changedFiles: number;
  /** Commits on the worktree's branch that the checkout's branch has not. */
  ahead: number;
  /** Commits on the checkout's branch that the worktree's branch has not. */
  behind: number;
  /** The checkout's branch the counts compare with (none when it is detached). */
  base?: string;
  /** What could not be read, said for the page. */
  problem?: string;
}

/** The branch a checkout is on, or `undefined` when its HEAD is detached. */
export async function currentBranch(directory: string): Promise<string | undefined> {
  const result = await git(directory, ["symbolic-ref", "--quiet", "--short", "HEAD"], {
    timeoutMs: 10_000,
  });
  return result.ok ? result.stdout.trim() || undefined : undefined;
}

/** Paths with uncommitted changes in `directory` (`git status --porcelain`, untracked included). */
export async function changedPaths(
  directory: string,
  { untracked = true } = {},
): Promise<string[]> {
  const out = await gitOk(directory, [
    "status",
    "--porcelain=v1",
    "-z",
    `--untracked-files=${untracked ? "all" : "no"}`,
  ], { timeoutMs: 15_000 });
  const paths: string[] = [];
  const fields = out.split("\0");
  for (let i = 0; i < fields.length; i++) {
    const field = fields[i];
    if (!field) continue;
    paths.push(field.slice(3));
    // A rename or copy is followed by its source path.
    if (field[0] === "R" || field[0] === "C") i++;
  }
  return paths;
}

/**
 * The state of the worktree at `directory` against the branch `checkout` (the project's own
 * folder) is on.
 *
 * @example
 * ```ts
 * const state = await worktreeState("/data/opencode/worktree/abc/kiwi", "/home/me/app");
 * state.ahead; // 2
 * ```
 */
export async function worktreeState(directory: string, checkout: string): Promise<WorktreeState> {
  const empty = { directory, changedFiles: 0, ahead: 0, behind: 0 };
  if (!exists(directory)) return { ...empty, present: false };
  try {
    const [branch, changed, base] = await Promise.all([
      currentBranch(directory),
      changedPaths(directory),
      currentBranch(checkout),
    ]);
    let ahead = 0, behind = 0;
    if (branch && base) {
      const counts = await gitOk(directory, [
        "rev-list",
        "--left-right",
        "--count",
        `${branch}...${base}`,
      ], { timeoutMs: 15_000 });
      [ahead, behind] = counts.trim().split(/\s+/).map(Number);
    }
    return { ...empty, present: true, branch, base, changedFiles: changed.length, ahead, behind };
  } catch (error) {
    return { ...empty, present: true, problem: (error as Error).message };
  }
}
