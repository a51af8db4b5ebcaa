/**
 * Worktrees on another machine, through its OpenCode server's API only (Palot runs no git there,
 * and a server added by its address offers nothing else): what a worktree holds (`GET /vcs`,
 * `/vcs/status`, `/vcs/diff?mode=branch`), bringing its changes into the project's checkout
 * (`POST /vcs/apply`, which OpenCode refuses on a checkout with uncommitted changes) and deleting
 * it (`DELETE /experimental/worktree`). Unlike this machine's Merge, nothing is committed: the
 * changes arrive in the checkout uncommitted, to review and commit there.
 *
 * @example
 * ```ts
 * const preview = await previewRemoteMerge(server, "/srv/app", "/srv/.opencode/worktree/p/kiwi");
 * if (!preview.refusal) await applyRemoteWorktree(server, "/srv/app", preview.patch);
 * ```
 */

import type { MergePreview } from "../worktrees/merge.ts";
import { MergeRefusedError } from "../worktrees/merge.ts";
import type { WorktreeState } from "../worktrees/state.ts";
import { OpencodeApiError } from "../opencode/opencode_api.ts";
import type { RemoteServer } from "./remote_server.ts";
import type { Project } from "../../common/discovery_types.ts";
import type { SessionPlace } from "../worktrees/session_worktree.ts";

/**
 * Where a session of `project` on another machine works: the project's checkout, one of its
 * worktrees (its OpenCode server's `sandboxes`), or a worktree since deleted (a folder under
 * OpenCode's `worktree/` that is no longer one of the project's).
 */
export function remoteSessionPlace(
  project: Pick<Project, "worktree" | "sandboxes"> | undefined,
  directory: string,
): SessionPlace {
  if (!project || directory === project.worktree) return { kind: "checkout" };
  if (project.sandboxes?.includes(directory)) return { kind: "worktree", directory, present: true };
  if (directory.includes("/opencode/worktree/")) return { kind: "deleted", directory };
  return { kind: "checkout" };
}

/** Longest wait for one read of a worktree's state. */
const READ_TIMEOUT_MS = 15_000;

interface VcsInfo {
  branch?: string;
  default_branch?: string;
}

interface VcsFile {
  file: string;
  additions?: number;
  deletions?: number;
  patch?: string;
}

const query = (directory: string, extra: Record<string, string> = {}) =>
  new URLSearchParams({ directory, ...extra }).toString();

function read<T>(server: RemoteServer, path: string, directory: string, extra = {}) {
  return server.api<T>(`${path}?${query(directory, extra)}`, { timeoutMs: READ_TIMEOUT_MS })
    .then(({ body }) => body);
}

/** What OpenCode said in an error answer (`{data: {message}}`), else the whole error's text. */
function saidBy(error: unknown): string {
  const text = (error as Error).message;
  const json = text.slice(text.indexOf("{"));
  try {
    const said = JSON.parse(json)?.data?.message;
    if (typeof said === "string") return said;
  } catch { /* not JSON: the message as it is */ }
  return text;
}

/** A failed call to `server` said for a page: what it answered, or that it did not answer. */
export function remoteFailure(server: RemoteServer, error: unknown): string {
  return error instanceof OpencodeApiError
    ? `${server.name} answered: ${saidBy(error)}`
    : `${server.name} did not answer (${(error as Error).message})`;
}

/** A remote Merge's preview: a local one's, with the patch that {@linkcode applyRemoteWorktree} applies. */
export interface RemoteMergePreview extends MergePreview {
  patch: string;
}

/**
 * What bringing the worktree at `worktree` into the checkout at `checkout` would change on
 * `server` (its branch against the project's default branch, uncommitted work included), and why
 * it is refused (the checkout has uncommitted changes, or is on another branch). Changes nothing.
 */
export async function previewRemoteMerge(
  server: RemoteServer,
  checkout: string,
  worktree: string,
): Promise<RemoteMergePreview> {
  const [own, target, diff, dirty] = await Promise.all([
    read<VcsInfo>(server, "/vcs", worktree),
    read<VcsInfo>(server, "/vcs", checkout),
    read<VcsFile[]>(server, "/vcs/diff", worktree, { mode: "branch" }),
    read<VcsFile[]>(server, "/vcs/status", checkout),
  ]);
  const files = diff.map((file) => ({
    path: file.file,
    additions: file.additions,
    deletions: file.deletions,
  }));
  const preview: RemoteMergePreview = {
    base: target.branch,
    branch: own.branch,
    files,
    conflicts: [],
    dirtyCheckout: dirty.map((file) => file.file),
    uncommitted: 0,
    applyOnly: true,
    patch: diff.map((file) => file.patch ?? "").filter(Boolean).join("\n"),
  };
  const dirtyList = preview.dirtyCheckout.slice(0, 5).join(", ") +
    (preview.dirtyCheckout.length > 5 ? ", …" : "");
  if (!target.branch) {
    preview.refusal =
      `The project's checkout (${checkout}) is not on a branch: check out ${own.default_branch} there, then try again.`;
  } else if (own.default_branch && target.branch !== own.default_branch) {
    preview.refusal =
      `The worktree's changes are against ${own.default_branch}, but the project's checkout is on ${target.branch}: check out ${own.default_branch} there, then try again.`;
  } else if (preview.dirtyCheckout.length > 0) {
    preview.refusal =
      `The project's checkout has uncommitted changes (${dirtyList}): commit or stash them in ${checkout}, then try again.`;
  }
  return preview;
}

/**
 * Applies `patch` (from {@linkcode previewRemoteMerge}) to the checkout at `checkout` on `server`;
 * throws a {@linkcode MergeRefusedError} saying why when OpenCode refuses (nothing is changed).
 */
export async function applyRemoteWorktree(
  server: RemoteServer,
  checkout: string,
  patch: string,
): Promise<void> {
  if (!patch) return;
  try {
    await server.api(`/vcs/apply?${query(checkout)}`, {
      method: "POST",
      body: { patch },
      timeoutMs: 60_000,
    });
  } catch (error) {
    if (error instanceof OpencodeApiError && error.status < 500) {
      throw new MergeRefusedError(
        `${server.name} could not apply the changes to ${checkout}: ${
          saidBy(error)
        }. Nothing was changed.`,
      );
    }
    // No answer: whether they were applied is not known.
    throw new MergeRefusedError(
      `${remoteFailure(server, error)}. Look at the checkout's changes before merging again.`,
    );
  }
}

/**
 * What deleting the worktree at `directory` would lose on `server`: its uncommitted files, and
 * the files its branch changes against the project's default branch (`unmergedFiles`; git's
 * commit counts are not in OpenCode's API).
 */
export async function remoteWorktreeState(
  server: RemoteServer,
  directory: string,
): Promise<WorktreeState & { unmergedFiles: number }> {
  const [own, status, diff] = await Promise.all([
    read<VcsInfo>(server, "/vcs", directory),
    read<VcsFile[]>(server, "/vcs/status", directory),
    read<VcsFile[]>(server, "/vcs/diff", directory, { mode: "branch" }),
  ]);
  return {
    directory,
    present: true,
    branch: own.branch,
    base: own.default_branch,
    changedFiles: status.length,
    ahead: 0,
    behind: 0,
    unmergedFiles: diff.length,
  };
}

/**
 * Deletes the worktree at `directory` of the checkout at `checkout` on `server`, and its branch;
 * throws an {@linkcode OpencodeApiError} saying why when it cannot.
 */
export async function removeRemoteWorktree(
  server: RemoteServer,
  checkout: string,
  directory: string,
): Promise<void> {
  try {
    await server.api(`/experimental/worktree?${query(checkout)}`, {
      method: "DELETE",
      body: { directory },
      timeoutMs: 60_000,
    });
  } catch (error) {
    throw new OpencodeApiError(remoteFailure(server, error), 502);
  }
}
