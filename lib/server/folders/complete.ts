/**
 * Sub-folder completion for the `Open folder` field: given what the user typed so far, the folders
 * in the typed parent whose names start with the last segment, in the same spelling (a leading `~`
 * stays). Hidden folders appear only when the segment starts with a dot. Reading stops after a
 * bounded number of entries and after a short timeout, so a huge or slow folder never hangs it.
 */

import { isAbsolute, join } from "node:path";
import { expandHome } from "./check.ts";

export interface CompleteOptions {
  /** The home folder `~` stands for. */
  home: string;
  /** Most suggestions returned (default 50). */
  limit?: number;
  /** Most folder entries read (default 5,000). */
  scanLimit?: number;
  /** Longest time spent reading, in milliseconds (default 1,000). */
  timeoutMs?: number;
}

export interface Completion {
  /** Suggested values for the field, each ending in `/`, sorted by name. */
  folders: string[];
  /** Whether reading stopped early (limit, scan limit or timeout): there may be more. */
  partial: boolean;
}

/**
 * The folders `input` may continue into.
 *
 * @example
 * ```ts
 * await completeFolder("~/co", { home: "/home/me" }); // {folders: ["~/code/"], partial: false}
 * ```
 */
export async function completeFolder(input: string, options: CompleteOptions): Promise<Completion> {
  const { home, limit = 50, scanLimit = 5_000, timeoutMs = 1_000 } = options;
  const cut = input.lastIndexOf("/") + 1;
  const typedParent = input === "~" ? "~/" : input.slice(0, cut);
  const segment = input === "~" ? "" : input.slice(cut);
  const parent = expandHome(typedParent, home);
  if (!typedParent || !isAbsolute(parent)) return { folders: [], partial: false };
  const showHidden = segment.startsWith(".");
  const needle = segment.toLowerCase();
  const names: string[] = [];
  let partial = false;
  const deadline = Date.now() + timeoutMs;
  let iterator: AsyncIterator<Deno.DirEntry> | undefined;
  try {
    iterator = Deno.readDir(parent)[Symbol.asyncIterator]();
    for (let scanned = 0;; scanned++) {
      if (scanned >= scanLimit) {
        partial = true;
        break;
      }
      const next = await withDeadline(iterator.next(), deadline);
      if (next === "timeout") {
        partial = true;
        break;
      }
      if (next.done) break;
      const entry = next.value;
      if (entry.name.startsWith(".") && !showHidden) continue;
      if (!entry.name.toLowerCase().startsWith(needle)) continue;
      if (entry.isDirectory || (entry.isSymlink && await isFolder(join(parent, entry.name)))) {
        names.push(entry.name);
      }
    }
  } catch {
    return { folders: [], partial: false };
  } finally {
    iterator?.return?.().catch(() => {});
  }
  names.sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase()) || a.localeCompare(b));
  if (names.length > limit) partial = true;
  return { folders: names.slice(0, limit).map((name) => `${typedParent}${name}/`), partial };
}

async function isFolder(path: string): Promise<boolean> {
  try {
    return (await Deno.stat(path)).isDirectory;
  } catch {
    return false;
  }
}

function withDeadline<T>(promise: Promise<T>, deadline: number): Promise<T | "timeout"> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<"timeout">((resolve) => {
    timer = setTimeout(() => resolve("timeout"), Math.max(0, deadline - Date.now()));
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
