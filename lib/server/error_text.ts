/**
 * An error in words, with its cause: Deno's `fetch` says only "fetch failed" and puts the reason
 * ("Connection refused", "dns error") in `cause`.
 */

/**
 * `error`'s message, and its cause's when it has one.
 *
 * @example
 * ```ts
 * errorText(error); // "fetch failed: … tcp connect error: Connection refused (os error 111)"
 * ```
 */
export function errorText(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? error.cause.message : undefined;
  return cause && !error.message.includes(cause) ? `${error.message}: ${cause}` : error.message;
}
