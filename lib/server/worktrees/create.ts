/**
 * Creating a worktree for a new session: a name from the first words of the message, unique among
 * the project's worktrees and branches, then OpenCode's own `POST /experimental/worktree` makes
 * the folder and its branch `opencode/<name>` (and lists it in the project's sandboxes).
 */

import { basename } from "node:path";
import type { EndpointSource } from "../opencode/endpoint.ts";
import { opencodeApi, OpencodeApiError } from "../opencode/opencode_api.ts";
import type { HubEvent } from "../../common/hub_event.ts";
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

/** `taken` (the worktree folders' names) and the branches under `opencode/` at `checkout`. */
async function takenNames(checkout: string, taken: Set<string>): Promise<Set<string>> {
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

/** Where OpenCode's events can be heard (Palot's hub); see {@linkcode createWorktree}. */
export interface EventSource {
  subscribe(subscriber: (stamped: { event: HubEvent }) => void): () => void;
}

/**
 * Where the repository is: this machine (the default: Palot checks it with git and avoids every
 * branch name taken), or another machine's OpenCode server (`server`, its id in Palot's events):
 * there OpenCode alone checks it, and makes a taken name unique itself.
 */
export interface WorktreeMachineOptions {
  server?: string;
}

/** How long OpenCode may take to set a worktree up (check out, run its start scripts). */
const READY_TIMEOUT_MS = 30_000;

/**
 * Creates a worktree of the repository at `checkout` for a session that starts with `message`,
 * and resolves once it is ready: OpenCode answers before it has checked the files out and run the
 * project's start scripts, and says when it has (`worktree.ready`, heard on `events`), or that it
 * failed (`worktree.failed`). Without `events`, it waits until the files are checked out.
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
  events?: EventSource,
  { server }: WorktreeMachineOptions = {},
): Promise<CreatedWorktree> {
  let taken = new Set(sandboxes.map((folder) => basename(folder)));
  if (server === undefined) {
    const top = await git(checkout, ["rev-parse", "--show-toplevel"], { timeoutMs: 10_000 });
    if (!top.ok) {
      throw new NotGitError(
        `${checkout} is not a git repository, so it cannot have worktrees: initialise git first.`,
      );
    }
    taken = await takenNames(checkout, taken);
  }
  const name = worktreeName(message, taken);
  // Heard from before the request: the event can come right after the answer.
  const outcomes = new Map<string, HubEvent["payload"]>();
  let heard: (() => void) | undefined;
  const unsubscribe = events?.subscribe(({ event }) => {
    const type = event.payload.type;
    if (type !== "worktree.ready" && type !== "worktree.failed") return;
    if (event.server !== server) return;
    outcomes.set(event.directory, event.payload);
    heard?.();
  });
  try {
    const created = await opencodeApi<CreatedWorktree>(source, "/experimental/worktree", {
      method: "POST",
      directory: checkout,
      body: { name },
      timeoutMs: 60_000,
    });
    if (!unsubscribe) {
      if (server === undefined) await checkedOut(created.directory);
      return created;
    }
    const deadline = Date.now() + READY_TIMEOUT_MS;
    while (!outcomes.has(created.directory) && Date.now() < deadline) {
      await new Promise<void>((resolve) => {
        heard = resolve;
        setTimeout(resolve, 250);
      });
    }
    const outcome = outcomes.get(created.directory);
    if (outcome?.type === "worktree.failed") {
      const said = (outcome.properties as { message?: unknown } | undefined)?.message;
      throw new OpencodeApiError(
        `OpenCode could not set the worktree up${
          typeof said === "string" ? `: ${said}` : ""
        }. Check the project's start script, then try again.`,
        502,
      );
    }
    // Another machine's files cannot be looked at: its OpenCode server's word is all there is.
    if (!outcome && server === undefined) await checkedOut(created.directory);
    return created;
  } finally {
    unsubscribe?.();
  }
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
