/**
 * The store's edge: what an event must carry before the reducer may apply it. Events come from
 * another process (and, shared between tabs, from another tab), so each is checked once here;
 * one that lacks what its type needs (a `session.updated` without `info`, a status without a
 * `sessionID`) is refused with a reason instead of breaking the batch it would have joined.
 */

import type { StoreEvent } from "./state.ts";

/** `id`: a non-empty string; `text`: any string; `list`: an array when present. */
type Field = "id" | "text" | "list";

/** What each event type needs, as paths into its `properties`. Types not listed need nothing. */
const REQUIRED: Record<string, Record<string, Field>> = {
  "session.created": { "info.id": "id" },
  "session.updated": { "info.id": "id" },
  "session.status": { sessionID: "id" },
  "session.idle": { sessionID: "id" },
  "message.updated": { "info.id": "id", "info.sessionID": "id" },
  "message.removed": { sessionID: "id", messageID: "id" },
  "message.part.updated": { "part.id": "id", "part.messageID": "id", "part.sessionID": "id" },
  "message.part.removed": { sessionID: "id", messageID: "id", partID: "id" },
  "message.part.delta": {
    sessionID: "id",
    messageID: "id",
    partID: "id",
    field: "id",
    delta: "text",
  },
  "permission.asked": { sessionID: "id", id: "id" },
  "permission.replied": { sessionID: "id", requestID: "id" },
  "question.asked": { sessionID: "id", id: "id" },
  "question.replied": { sessionID: "id", requestID: "id" },
  "question.rejected": { sessionID: "id", requestID: "id" },
  "todo.updated": { sessionID: "id", todos: "list" },
  "vcs.branch.updated": { branch: "text" },
};

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function valueAt(root: Record<string, unknown>, path: string): unknown {
  let value: unknown = root;
  for (const key of path.split(".")) value = isObject(value) ? value[key] : undefined;
  return value;
}

/**
 * Why `event` cannot be applied, or `undefined` when it can.
 *
 * @example
 * ```ts
 * const problem = eventProblem(JSON.parse(message.data));
 * if (problem) console.warn(`Skipping an event: ${problem}`);
 * ```
 */
export function eventProblem(event: unknown): string | undefined {
  if (!isObject(event)) return "Not an object";
  if (event.directory !== undefined && typeof event.directory !== "string") {
    return `Its "directory" is not a string`;
  }
  const payload = event.payload;
  if (!isObject(payload) || typeof payload.type !== "string" || !payload.type) {
    return `It has no "payload.type"`;
  }
  const properties = payload.properties ?? {};
  if (!isObject(properties)) return `"${payload.type}" has properties that are not an object`;
  const { sessionID, status } = properties as { sessionID?: unknown; status?: unknown };
  if (sessionID !== undefined && (typeof sessionID !== "string" || !sessionID)) {
    return `"${payload.type}" has an empty or non-text "sessionID"`;
  }
  if (payload.type === "session.deleted" && !sessionID && !valueAt(properties, "info.id")) {
    return `"session.deleted" names no session`;
  }
  if (payload.type === "session.status" && status !== undefined && !isObject(status)) {
    return `"session.status" has a status that is not an object`;
  }
  for (const [path, field] of Object.entries(REQUIRED[payload.type] ?? {})) {
    const value = valueAt(properties, path);
    const ok = field === "list"
      ? value === undefined || Array.isArray(value)
      : typeof value === "string" && (field === "text" || value !== "");
    if (!ok) return `"${payload.type}" lacks "${path}"`;
  }
  return undefined;
}

/** `event` (checked by {@linkcode eventProblem}) with its directory filled in. */
export function normalizeEvent(event: StoreEvent): StoreEvent {
  return typeof event.directory === "string" ? event : { ...event, directory: "" };
}
