/**
 * Which worktree a session works in, from where it runs: the project's own checkout, one of the
 * project's worktrees (OpenCode's `sandboxes`, on disk or missing), or a worktree since deleted (a
 * folder under OpenCode's `worktree/` that is no longer one of the project's).
 */

import { join } from "node:path";
import type { Project } from "../../common/discovery_types.ts";
import { exists } from "../exists.ts";

export type SessionPlace =
  | { kind: "checkout" }
  | { kind: "worktree"; directory: string; present: boolean }
  | { kind: "deleted"; directory: string };

/**
 * Where a session of `project` that runs in `directory` works; `dataDir` is OpenCode's data folder
 * (worktrees are made under its `worktree/`).
 */
export function sessionPlace(
  project: Pick<Project, "worktree" | "sandboxes"> | undefined,
  directory: string,
  dataDir: string,
): SessionPlace {
  if (!project || directory === project.worktree) return { kind: "checkout" };
  if (project.sandboxes?.includes(directory)) {
    return { kind: "worktree", directory, present: exists(directory) };
  }
  if (directory.startsWith(join(dataDir, "worktree") + "/")) {
    return exists(directory)
      ? { kind: "worktree", directory, present: true }
      : { kind: "deleted", directory };
  }
  return { kind: "checkout" };
}
