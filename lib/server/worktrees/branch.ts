/**
 * A worktree's branch read from its files (its `.git` file names its git folder, whose `HEAD`
 * names the branch), without running git: cheap enough for every page that lists worktree
 * sessions. Falls back on OpenCode's naming (`opencode/<folder name>`) when the files cannot say.
 */

import { basename, isAbsolute, join } from "node:path";

/**
 * The branch the worktree at `directory` is on.
 *
 * @example
 * ```ts
 * worktreeBranch("/data/opencode/worktree/abc/kiwi"); // "opencode/kiwi"
 * ```
 */
export function worktreeBranch(directory: string): string {
  try {
    const pointer = Deno.readTextFileSync(join(directory, ".git")).trim();
    if (pointer.startsWith("gitdir:")) {
      const gitDir = pointer.slice(7).trim();
      const head = Deno.readTextFileSync(
        join(isAbsolute(gitDir) ? gitDir : join(directory, gitDir), "HEAD"),
      ).trim();
      if (head.startsWith("ref: refs/heads/")) return head.slice(16);
    }
  } catch { /* gone or not a worktree: OpenCode's naming */ }
  return `opencode/${basename(directory)}`;
}
