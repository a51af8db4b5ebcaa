/**
 * How a session in a git worktree is labelled wherever sessions are listed live: its project's
 * name and the worktree's branch, by the worktree's folder (a session knows only its folder).
 */

/** A worktree's project and branch. */
export interface WorktreeLabel {
  project: string;
  branch: string;
}

/** Labels by worktree folder. */
export type WorktreeLabels = Record<string, WorktreeLabel>;
