/**
 * Whether a folder has OpenCode config of its own. OpenCode reads a project's config from
 * `opencode.json` or `opencode.jsonc` files and `.opencode` folders in the project's folder and
 * those above it (up to its git worktree); everything else (the global config, `~/.opencode`,
 * `OPENCODE_CONFIG*`, auth, plugins) is the same for every folder. A folder without any of those
 * files therefore gets the agents and models every such folder gets, which lets a chat page show
 * them before OpenCode has booted the folder. This looks up to the file system's root, beyond the
 * worktree, so it errs towards "has its own".
 */

import { dirname, join } from "node:path";

/** The names that make a folder's OpenCode config its own, in it or in a folder above it. */
const PROJECT_CONFIG_NAMES = ["opencode.json", "opencode.jsonc", ".opencode"];

/**
 * True when `directory` exists and neither it nor a folder above it holds `opencode.json`,
 * `opencode.jsonc` or `.opencode` (except `home`'s `.opencode`, which OpenCode reads for every
 * folder). False for a folder that is not there or cannot be read.
 *
 * @example
 * ```ts
 * usesOnlySharedConfig("/home/me/app", { home: "/home/me" }); // true: no config of its own
 * ```
 */
export function usesOnlySharedConfig(directory: string, { home }: { home: string }): boolean {
  try {
    if (!Deno.statSync(directory).isDirectory) return false;
    for (let folder = directory;; folder = dirname(folder)) {
      for (const name of PROJECT_CONFIG_NAMES) {
        if (name === ".opencode" && folder === home) continue;
        if (exists(join(folder, name))) return false;
      }
      if (dirname(folder) === folder) return true;
    }
  } catch {
    return false;
  }
}

function exists(path: string): boolean {
  try {
    Deno.statSync(path);
    return true;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return false;
    throw error; // unreadable: the caller answers "not only shared"
  }
}
