/**
 * Merging a worktree into its project: {@linkcode previewMerge} says, without changing anything,
 * which files and lines would come into the branch the project's checkout is on (what is
 * uncommitted in the worktree included) and whether it can merge; {@linkcode mergeWorktree}
 * commits what is uncommitted in the worktree (message: the session's title) and merges its branch
 * into the checkout's. A detached HEAD, uncommitted changes in the checkout or a conflict are
 * refused before anything moves; if git still fails, the merge is aborted and the worktree's new
 * commit undone, so both sides are left as they were.
 */

import { join } from "node:path";
import { authorConfig, git, GitError, gitOk } from "./git.ts";
import { withMergeLock } from "./merge_lock.ts";
import { changedPaths, currentBranch } from "./state.ts";

/** One file that would change in the checkout. */
export interface IncomingFile {
  path: string;
  /** Lines added (`undefined` for a binary file). */
  additions?: number;
  deletions?: number;
}

export interface MergePreview {
  /** The checkout's branch (none when its HEAD is detached). */
  base?: string;
  /** The worktree's branch. */
  branch?: string;
  /** Files and lines that would come in. */
  files: IncomingFile[];
  /** Files that conflict (the merge is refused). */
  conflicts: string[];
  /** Files with uncommitted changes in the project's checkout (the merge is refused). */
  dirtyCheckout: string[];
  /** Files uncommitted in the worktree (the merge commits them first). */
  uncommitted: number;
  /** Why the merge would be refused, said so the user knows what to do; none when it can run. */
  refusal?: string;
  /**
   * The changes are applied to the checkout uncommitted rather than merged (another machine's
   * worktree, through its OpenCode server: Palot runs no git there).
   */
  applyOnly?: boolean;
}

/** The merge was refused before anything changed, or undone; the message says what to do. */
export class MergeRefusedError extends Error {
  override name = "MergeRefusedError";
}

/**
 * A commit of the worktree as it is now (uncommitted files included) made without touching its
 * index, working tree or branch: a dangling commit object to preview against.
 */
async function snapshot(worktree: string, message: string): Promise<string> {
  const head = (await gitOk(worktree, ["rev-parse", "HEAD"])).trim();
  if ((await changedPaths(worktree)).length === 0) return head;
  const index = await Deno.makeTempFile({ prefix: "palot-index-" });
  try {
    const env = { GIT_INDEX_FILE: index };
    await gitOk(worktree, ["read-tree", "HEAD"], { env });
    await gitOk(worktree, ["add", "-A"], { env });
    const tree = (await gitOk(worktree, ["write-tree"], { env })).trim();
    const config = await authorConfig(worktree);
    return (await gitOk(worktree, ["commit-tree", tree, "-p", head, "-m", message], { config }))
      .trim();
  } finally {
    await Deno.remove(index).catch(() => {});
  }
}

/** `git diff --numstat -z` output as files. */
function numstat(out: string): IncomingFile[] {
  const files: IncomingFile[] = [];
  const fields = out.split("\0");
  for (let i = 0; i < fields.length; i++) {
    const field = fields[i];
    if (!field) continue;
    const [added, deleted, path] = field.split("\t");
    const binary = added === "-";
    // A rename is `added\tdeleted\t` followed by the old and the new path.
    const name = path === "" ? (i += 2, fields[i]) : path;
    files.push({
      path: name,
      additions: binary ? undefined : Number(added),
      deletions: binary ? undefined : Number(deleted),
    });
  }
  return files;
}

/**
 * What merging the worktree at `worktree` into the project's checkout at `checkout` would bring,
 * and whether it is refused. Changes nothing.
 */
export async function previewMerge(
  checkout: string,
  worktree: string,
  title = "Palot: worktree changes",
): Promise<MergePreview> {
  const [base, branch, dirtyCheckout, uncommitted] = await Promise.all([
    currentBranch(checkout),
    currentBranch(worktree),
    changedPaths(checkout, { untracked: false }),
    changedPaths(worktree),
  ]);
  const preview: MergePreview = {
    base,
    branch,
    files: [],
    conflicts: [],
    dirtyCheckout,
    uncommitted: uncommitted.length,
  };
  if (!base) {
    preview.refusal =
      `The project's checkout (${checkout}) is not on a branch (detached HEAD): check out the branch to merge into, then try again.`;
    return preview;
  }
  if (!branch) {
    preview.refusal = `The worktree (${worktree}) is not on a branch: nothing to merge.`;
    return preview;
  }
  const commit = await snapshot(worktree, title);
  const merged = await git(checkout, [
    "merge-tree",
    "--write-tree",
    "--name-only",
    "--no-messages",
    base,
    commit,
  ], { timeoutMs: 60_000 });
  const lines = merged.stdout.split("\n").filter(Boolean);
  if (merged.code === 1) {
    preview.conflicts = lines.slice(1);
    preview.refusal = `Merging ${branch} into ${base} conflicts in ${
      preview.conflicts.join(", ")
    }: nothing was changed. Resolve it in the worktree (for example ask the agent to merge ${base} into its branch), then merge again.`;
    return preview;
  }
  if (!merged.ok) {
    throw new GitError(`git merge-tree failed: ${merged.stderr.trim()}`);
  }
  preview.files = numstat(
    await gitOk(checkout, ["diff", "--numstat", "-z", "-M", base, lines[0]]),
  );
  if (dirtyCheckout.length > 0) {
    preview.refusal = `The project's checkout has uncommitted changes (${
      dirtyCheckout.slice(0, 5).join(", ")
    }${
      dirtyCheckout.length > 5 ? ", …" : ""
    }): commit or stash them in ${checkout}, then merge again.`;
  }
  return preview;
}

export interface MergeResult {
  base: string;
  branch: string;
  /** Whether uncommitted work in the worktree was committed first. */
  committed: boolean;
  files: IncomingFile[];
}

/**
 * Commits what is uncommitted in the worktree (message `title`, author git's configured user or
 * Palot's fallback) and merges its branch into the branch the checkout is on, one merge at a time
 * per project. Throws a {@linkcode MergeRefusedError} (nothing changed) when it cannot.
 *
 * @example
 * ```ts
 * await mergeWorktree("/home/me/app", "/data/opencode/worktree/abc/kiwi", "Add a README");
 * ```
 */
export function mergeWorktree(
  checkout: string,
  worktree: string,
  title: string,
): Promise<MergeResult> {
  return withMergeLock(checkout, async () => {
    const message = title.trim() || "Palot: worktree changes";
    const preview = await previewMerge(checkout, worktree, message);
    if (preview.refusal) throw new MergeRefusedError(preview.refusal);
    const base = preview.base!, branch = preview.branch!;
    let committed = false;
    if (preview.uncommitted > 0) {
      await gitOk(worktree, ["add", "-A"]);
      const config = await authorConfig(worktree);
      const commit = await git(worktree, ["commit", "-q", "-m", message], {
        config,
        timeoutMs: 60_000,
      });
      if (!commit.ok) {
        await git(worktree, ["reset", "-q", "--mixed", "HEAD"]);
        throw new MergeRefusedError(
          `Could not commit the worktree's changes: ${commit.stderr.trim()}. Nothing was merged.`,
        );
      }
      committed = true;
    }
    const config = await authorConfig(checkout);
    const merge = await git(checkout, ["merge", "--no-edit", branch], {
      config,
      timeoutMs: 120_000,
    });
    if (!merge.ok) {
      await undo(checkout, worktree, committed);
      const said = (merge.stderr || merge.stdout).trim().split("\n").slice(0, 4).join(" ");
      throw new MergeRefusedError(
        `git could not merge ${branch} into ${base}: ${said}. The merge was aborted; both sides are as they were.`,
      );
    }
    return { base, branch, committed, files: preview.files };
  });
}

/** Aborts a half-done merge in the checkout and takes back the worktree's new commit. */
async function undo(checkout: string, worktree: string, committed: boolean) {
  const gitDir = (await gitOk(checkout, ["rev-parse", "--absolute-git-dir"])).trim();
  const merging = await Deno.stat(join(gitDir, "MERGE_HEAD")).then(() => true, () => false);
  if (merging) await git(checkout, ["merge", "--abort"]);
  if (committed) await git(worktree, ["reset", "-q", "--mixed", "HEAD~1"]);
}
