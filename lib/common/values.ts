/**
 * Reading loosely typed values that come from outside (OpenCode's JSON, events, storage rows):
 * a string or nothing, a number or zero, and an OpenCode error object in plain words. Shared by the
 * server and the browser, so each file does not grow its own copy.
 */

/**
 * `value` when it is a string, else `""`.
 *
 * @example
 * ```ts
 * asString(part.text); // "" when text is missing or not a string
 * ```
 */
export function asString(value: unknown): string {
  return typeof value === "string" ? value : "";
}

/**
 * `value` when it is a number, else `0`.
 *
 * @example
 * ```ts
 * asNumber(info.cost);
 * ```
 */
export function asNumber(value: unknown): number {
  return typeof value === "number" ? value : 0;
}

/**
 * An OpenCode error object (`{name, data: {message}}`) in plain words; `stopped` for an abort.
 *
 * @example
 * ```ts
 * errorText({ name: "APIError", data: { message: "Rate limited" } }); // "Rate limited"
 * ```
 */
export function errorText(error: unknown, stopped = "Stopped"): string {
  if (!error || typeof error !== "object") return "Something went wrong";
  const { name, data } = error as { name?: string; data?: { message?: string } };
  if (name === "MessageAbortedError") return stopped;
  return data?.message || name || "Something went wrong";
}
