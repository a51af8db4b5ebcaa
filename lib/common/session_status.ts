/**
 * A session's status as OpenCode's events change it: the one rule the server's status index
 * (`lib/server/events/status_index.ts`, what pages show at first paint) and the browser's store
 * (`lib/client/live/reducer.ts`, what a live tab shows) both follow, so the two cannot disagree.
 * `session.status` sets it (`busy` clears the last error, `retry` says why and which attempt),
 * `session.error` makes it `error` with the error in plain words, and `session.idle` ends a turn
 * but leaves a failed one showing its error (the chat keeps the error until the next turn).
 */

import { asString, errorText } from "./values.ts";

export type SessionStatusName = "idle" | "busy" | "retry" | "error";

/** A session's status, its last error, and while it is `retry`, why and which attempt. */
export interface SessionStatus {
  status: SessionStatusName;
  /** The last error, in plain words. */
  error?: string;
  retry?: { attempt: number; message: string };
}

/** The event types that change a session's status. */
export const STATUS_EVENTS: ReadonlySet<string> = new Set([
  "session.status",
  "session.idle",
  "session.error",
]);

/**
 * The status after one event of type `type` (any other type leaves it as it is).
 *
 * @example
 * ```ts
 * sessionStatus({ status: "error", error: "Out of credit" }, "session.idle", { sessionID: "ses_1" });
 * // { status: "error", error: "Out of credit", retry: undefined }
 * ```
 */
export function sessionStatus(
  current: SessionStatus,
  type: string,
  properties: Record<string, unknown>,
): SessionStatus {
  const { status, error, retry } = current;
  switch (type) {
    case "session.status": {
      const next = (properties.status ?? {}) as Record<string, unknown>;
      const name = (asString(next.type) || "idle") as SessionStatusName;
      return {
        status: name,
        error: name === "busy" ? undefined : error,
        retry: name === "retry"
          ? { attempt: Number(next.attempt) || 1, message: asString(next.message) }
          : undefined,
      };
    }
    case "session.idle":
      return { status: status === "error" ? "error" : "idle", error, retry };
    case "session.error":
      return { status: "error", error: errorText(properties.error), retry };
    default:
      return { status, error, retry };
  }
}
