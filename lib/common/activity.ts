/**
 * What is going on now, one rule for every place that shows it (`Active now`, the project cards'
 * badges, on the server's first paint and live in the browser): a top-level session is working
 * when it or one of its sub-agent sessions is, and waiting when any of them asks the user.
 *
 * @example
 * ```ts
 * const { working, waiting } = projectActivity(["/home/me/app"], activityRows(items));
 * ```
 */

import type { PermissionRequest, QuestionRequest } from "@opencode-ai/sdk/v2/client";
import type { SessionStatusName } from "./session_status.ts";

/** A session the live layer knows, as pages receive it. */
export interface ActivityItem {
  id: string;
  /** Palot's id of the machine it runs on (Settings → Servers); none for this machine. */
  server?: string;
  directory: string;
  title: string;
  parentID?: string;
  status: SessionStatusName;
  /** Seen working in this tab (it finished while the tab was open). */
  worked?: boolean;
  permissions: PermissionRequest[];
  questions: QuestionRequest[];
  /** While it works, what it does now (`doingNow`). */
  doing?: string;
}

/** A top-level session with its sub-agents folded in. */
export interface ActivityRow extends ActivityItem {
  /** Permissions and questions open in the session or its sub-agents. */
  waiting: number;
}

const isWorking = (status: SessionStatusName) => status === "busy" || status === "retry";

/** Each top-level session, working if any of its family works, with what its family asks. */
export function activityRows(items: ActivityItem[]): ActivityRow[] {
  const children = new Map<string, ActivityItem[]>();
  for (const item of items) {
    if (item.parentID) children.set(item.parentID, [...children.get(item.parentID) ?? [], item]);
  }
  return items.filter((item) => !item.parentID).map((item) => {
    const family = [item, ...children.get(item.id) ?? []];
    const waiting = family.reduce(
      (sum, member) => sum + member.permissions.length + member.questions.length,
      0,
    );
    const working = family.some((member) => isWorking(member.status));
    return {
      ...item,
      status: item.status === "idle" && working ? "busy" : item.status,
      waiting,
      doing: item.doing ||
        family.find((member) => isWorking(member.status) && member.doing)?.doing,
      worked: family.some((member) => member.worked),
    };
  });
}

/**
 * The line a list shows under a session while it is active: `Waiting for you` when it asks
 * something, what it does now while it works, nothing otherwise.
 *
 * @example
 * ```ts
 * activityLine({ status: "busy", waiting: 0, doing: "Editing src/app.ts" }); // "Editing src/app.ts"
 * ```
 */
export function activityLine(
  row: { status: SessionStatusName; waiting: number; doing?: string },
): string {
  if (row.waiting > 0) return "Waiting for you";
  return isWorking(row.status) ? row.doing || "Working…" : "";
}

/**
 * Sessions of the project in `folders` (its checkout, and its worktrees: their sessions count under
 * it) on machine `server` (none: this machine) that need the user, and those working (not waiting).
 */
export function projectActivity(
  folders: string[],
  rows: ActivityRow[],
  server?: string,
): { working: number; waiting: number } {
  let working = 0;
  let waiting = 0;
  for (const row of rows) {
    if (row.server !== server) continue;
    const inside = folders.some((folder) =>
      row.directory === folder || row.directory.startsWith(`${folder}/`)
    );
    if (!inside) continue;
    if (row.waiting > 0) waiting++;
    else if (isWorking(row.status)) working++;
  }
  return { working, waiting };
}

/** The longest command or path a working line quotes. */
const DOING_MAX = 60;

function shorten(text: string, directory?: string): string {
  const inside = directory && text.startsWith(`${directory}/`)
    ? text.slice(directory.length + 1)
    : text;
  const line = inside.split("\n")[0];
  return line.length > DOING_MAX ? `${line.slice(0, DOING_MAX - 1)}…` : line;
}

/** A part, as much of it as {@linkcode doingNow} reads. */
export interface DoingPart {
  type: string;
  tool?: string;
  text?: string;
  synthetic?: boolean;
  state?: { status?: string; input?: unknown };
  time?: { end?: number; [key: string]: unknown };
}

/** What a running tool is doing, in words: `Running bash: npm test`, `Editing src/app.ts`. */
export function toolDoing(tool: string, input: unknown, directory?: string): string {
  const fields = (input && typeof input === "object" ? input : {}) as Record<string, unknown>;
  const text = (key: string) => typeof fields[key] === "string" ? fields[key] as string : "";
  const path = shorten(text("filePath") || text("path"), directory);
  switch (tool) {
    case "bash":
      return text("command") ? `Running bash: ${shorten(text("command"))}` : "Running bash";
    case "edit":
    case "multiedit":
    case "apply_patch":
      return path ? `Editing ${path}` : "Editing files";
    case "write":
      return path ? `Writing ${path}` : "Writing a file";
    case "read":
      return path ? `Reading ${path}` : "Reading a file";
    case "grep":
    case "glob":
      return text("pattern") ? `Searching ${shorten(text("pattern"))}` : "Searching";
    case "list":
      return path ? `Listing ${path}` : "Listing files";
    case "task":
      return text("description")
        ? `Running a sub-agent: ${shorten(text("description"))}`
        : "Running a sub-agent";
    case "webfetch":
      return text("url") ? `Fetching ${shorten(text("url"))}` : "Fetching a page";
    case "todowrite":
      return "Planning";
    default:
      return `Running ${tool}`;
  }
}

/**
 * What a working session is doing now, in words, from its latest turn's parts (the one rule for
 * the chat's working line, the sidebar and the home page): `Waiting for you` while a permission
 * or question is open, else the running tool (`Running bash: npm test`, `Editing src/app.ts`),
 * `Writing…` while text streams, and `Thinking…` otherwise.
 *
 * @example
 * ```ts
 * doingNow([{ type: "tool", tool: "bash", state: { status: "running", input: { command: "ls" } } }]);
 * // "Running bash: ls"
 * ```
 */
export function doingNow(
  parts: DoingPart[],
  options: { waiting?: boolean; directory?: string } = {},
): string {
  if (options.waiting) return "Waiting for you";
  for (let index = parts.length - 1; index >= 0; index--) {
    const part = parts[index];
    if (part.type === "tool") {
      const status = part.state?.status;
      if (status === "running" || status === "pending") {
        return toolDoing(part.tool ?? "", part.state?.input, options.directory);
      }
      return "Thinking…";
    }
    // A text part's words stream in after it appears: its being last is enough.
    if (part.type === "text" && !part.synthetic) return part.time?.end ? "Thinking…" : "Writing…";
    if (part.type === "reasoning") return "Thinking…";
  }
  return "Thinking…";
}
