/**
 * The label of a session that works in a git worktree: its project and the worktree's branch,
 * shown beside the session's title in live lists ("Active now", the sidebar).
 */

import type { WorktreeLabel } from "../../common/worktree_labels.ts";

/** A worktree session's project and branch, beside its title. */
export function WorktreeTag(
  { label, project = true }: { label?: WorktreeLabel; project?: boolean },
) {
  if (!label) return null;
  return (
    <span class="worktree-tag" title={`In a worktree of ${label.project}, branch ${label.branch}`}>
      {project ? `${label.project} · ${label.branch}` : label.branch}
    </span>
  );
}
