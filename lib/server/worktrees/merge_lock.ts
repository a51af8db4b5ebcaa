/**
 * One merge (or worktree deletion) at a time per project: a second one asked for meanwhile is
 * refused with a {@linkcode MergeBusyError}, never interleaved with the first.
 */

/** Another merge or deletion is running in the same project. */
export class MergeBusyError extends Error {
  override name = "MergeBusyError";
}

const held = new Set<string>();

/**
 * Runs `work` holding the lock of the project at `checkout`; refuses at once when it is held.
 *
 * @example
 * ```ts
 * await withMergeLock("/home/me/app", () => merge(...));
 * ```
 */
export async function withMergeLock<T>(checkout: string, work: () => Promise<T>): Promise<T> {
  if (held.has(checkout)) {
    throw new MergeBusyError(
      "Another merge or worktree deletion is running in this project: wait until it ends, then try again",
    );
  }
  held.add(checkout);
  try {
    return await work();
  } finally {
    held.delete(checkout);
  }
}
