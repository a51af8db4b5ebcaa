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
  directory: string;
  title: string;
  parentID?: string;
  status: SessionStatusName;
  /** Seen working in this tab (it finished while the tab was open). */
  worked?: boolean;
  permissions: PermissionRequest[];
  questions: QuestionRequest[];
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
      worked: family.some((member) => member.worked),
    };
  });
}

/**
 * Sessions of the project in `folders` (its checkout, and its worktrees: their sessions count under
 * it) that need the user, and those working (not waiting).
 */
export function projectActivity(
  folders: string[],
  rows: ActivityRow[],
): { working: number; waiting: number } {
  let working = 0;
  let waiting = 0;
  for (const row of rows) {
    const inside = folders.some((folder) =>
      row.directory === folder || row.directory.startsWith(`${folder}/`)
    );
    if (!inside) continue;
    if (row.waiting > 0) waiting++;
    else if (isWorking(row.status)) working++;
  }
  return { working, waiting };
}
