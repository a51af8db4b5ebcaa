/** Waiting: a timer that an `AbortSignal` cuts short, for retry loops and scripted delays. */

/**
 * Resolves after `ms` milliseconds, or at once when `signal` aborts (never rejects).
 *
 * @example
 * ```ts
 * await sleep(500, stopping.signal);
 * ```
 */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    signal?.addEventListener("abort", done, { once: true });
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    }
  });
}
