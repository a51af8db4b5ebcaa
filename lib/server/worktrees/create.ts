/**
 * Creating a worktree for a new session: a name from the first words of the message, unique among
 * the project's worktrees and branches, then OpenCode's own `POST /experimental/worktree` makes
 * the folder and its branch `opencode/<name>` (and lists it in the project's sandboxes).
 */

import { basename } from "node:path";
import type { EndpointSource } from "../opencode/endpoint.ts";
import { opencodeApi } from "../opencode/opencode_api.ts";
import { git } from "./git.ts";
import { worktreeName } from "./name.ts";
import { sleep } from "../sleep.ts";

/** What OpenCode answers for a new worktree. */
export interface CreatedWorktree {
  name: string;
  branch: string;
  directory: string;
}

/** The folder is not a git repository: a worktree cannot be made there. */
export class NotGitError extends Error {
  override name = "NotGitError";
}

/** Names taken in the repository at `checkout`: branches under `opencode/` and worktree folders. */
async function takenNames(checkout: string, sandboxes: string[]): Promise<Set<string>> {
  const taken = new Set(sandboxes.map((folder) => basename(folder)));
  const refs = await git(checkout, [
    "for-each-ref",
    "--format=%(refname)",
    "refs/heads/opencode/",
  ], { timeoutMs: 10_000 });
  for (const ref of refs.stdout.split("\n")) {
    if (ref) taken.add(ref.slice("refs/heads/opencode/".length));
  }
  return taken;
}

/**
 * Creates a worktree of the repository at `checkout` for a session that starts with `message`.
 *
 * @example
 * ```ts
 * const { directory, branch } = await createWorktree(supervisor, "/home/me/app", "Fix the bug", []);
 * ```
 */
export async function createWorktree(
  source: EndpointSource,
  checkout: string,
  message: string,
  sandboxes: string[],
): Promise<CreatedWorktree> {
  const top = await git(checkout, ["rev-parse", "--show-toplevel"], { timeoutMs: 10_000 });
  if (!top.ok) {
    throw new NotGitError(
      `${checkout} is not a git repository, so it cannot have worktrees: initialise git first.`,
    );
  }
  const name = worktreeName(message, await takenNames(checkout, sandboxes));
  const created = await opencodeApi<CreatedWorktree>(source, "/experimental/worktree", {
    method: "POST",
    directory: checkout,
    body: { name },
    timeoutMs: 60_000,
  });
  await checkedOut(created.directory);
  return created;
}

/**
 * Waits until OpenCode has checked the files out (it answers before it does, and says so later
 * with `worktree.ready`): the folder's tracked files are all there. Gives up waiting after
 * `timeoutMs` (a startup script may change tracked files), the worktree then used as it is.
 */
async function checkedOut(directory: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const status = await git(directory, ["status", "--porcelain", "--untracked-files=no"], {
      timeoutMs: 10_000,
    }).catch(() => undefined);
    if (status?.ok && status.stdout === "") return;
    await sleep(50);
  }
}
