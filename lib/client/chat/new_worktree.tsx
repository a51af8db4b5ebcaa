/**
 * `New worktree` on the New session page of a git project: when ticked, the first Send makes a git
 * worktree (`POST /api/worktrees`, named from the message) and starts the session in it, so
 * several agents can work on one repository without stepping on each other. Off by default; the
 * choice is remembered per project in this browser. Disabled, with the reason, outside git. On
 * another machine's pages its OpenCode server makes the worktree.
 */

import { useEffect, useState } from "preact/hooks";
import { IS_BROWSER } from "../ui/is_browser.ts";
import { palotApi } from "../live/page_server.ts";

/** A worktree Palot made for a new session. */
export interface NewWorktree {
  name: string;
  branch: string;
  directory: string;
}

const storageKey = (project: string) => `palot:new-worktree:${project}`;

function remembered(project: string): boolean {
  if (!IS_BROWSER) return false;
  try {
    return localStorage.getItem(storageKey(project)) === "1";
  } catch {
    return false;
  }
}

/** The checkbox's state for `project` (its id, or its folder), remembered in local storage. */
export function useNewWorktree(project: string, git: boolean) {
  // Read after hydration: the server rendered it unticked.
  const [wanted, setWanted] = useState(false);
  useEffect(() => setWanted(remembered(project)), [project]);
  return {
    /** Whether the next Send starts the session in a new worktree. */
    on: git && wanted,
    set(value: boolean) {
      setWanted(value);
      try {
        if (value) localStorage.setItem(storageKey(project), "1");
        else localStorage.removeItem(storageKey(project));
      } catch { /* storage off: the choice holds for this page */ }
    },
  };
}

/** The `New worktree` checkbox. */
export function NewWorktreeToggle(
  { on, set, git }: { on: boolean; set(value: boolean): void; git: boolean },
) {
  const reason = git ? undefined : "not a git repository";
  return (
    <label
      class="new-worktree"
      title={reason
        ? `New worktree: ${reason}`
        : "Start this session in its own git worktree and branch"}
    >
      <input
        type="checkbox"
        checked={on}
        disabled={reason !== undefined}
        aria-describedby={reason ? "new-worktree-reason" : undefined}
        onChange={(event) => set(event.currentTarget.checked)}
      />
      New worktree
      {reason && <span id="new-worktree-reason" class="muted">({reason})</span>}
    </label>
  );
}

/**
 * Asks Palot for a worktree of `directory` named from `message`; throws an error whose message
 * says what went wrong.
 */
export async function createWorktree(directory: string, message: string): Promise<NewWorktree> {
  let response: Response;
  try {
    response = await fetch(palotApi("/api/worktrees"), {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ directory, message: message.slice(0, 500) }),
      signal: AbortSignal.timeout(90_000),
    });
  } catch {
    throw new Error("Palot did not answer");
  }
  const body = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(body.error ?? `Palot answered ${response.status}`);
  return body as NewWorktree;
}
