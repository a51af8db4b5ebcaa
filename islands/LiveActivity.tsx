/**
 * "Active now", in the sidebar and on the home page: sessions of any project that are working,
 * waiting for an answer or failed, plus those that finished while this tab was open. Seeded from
 * the server's status index so it is right on first paint, then kept live by the store.
 */

import { useComputed } from "@preact/signals";
import type { PermissionRequest, QuestionRequest } from "@opencode-ai/sdk/v2/client";
import { seedSessions, type SessionEntry, sessions } from "../lib/client/live/store.ts";
import { unread } from "../lib/client/live/attention.ts";
import { IS_BROWSER } from "../lib/client/ui/is_browser.ts";
import { StatusBadge } from "../lib/client/ui/status_badge.tsx";
import type { WorktreeLabels } from "../lib/common/worktree_labels.ts";
import { WorktreeTag } from "../lib/client/ui/worktree_tag.tsx";

export interface ActivityItem {
  id: string;
  directory: string;
  title: string;
  parentID?: string;
  status: SessionEntry["status"];
  worked?: boolean;
  permissions: PermissionRequest[];
  questions: QuestionRequest[];
}

let seeded = false;

/** Top-level sessions to list: active now, or seen active in this tab (`worked`). */
function rows(entries: ActivityItem[]) {
  return entries.filter((entry) => !entry.parentID).map((entry) => {
    const family = [entry, ...entries.filter((child) => child.parentID === entry.id)];
    const waiting = family.reduce(
      (sum, item) => sum + item.permissions.length + item.questions.length,
      0,
    );
    const working = family.some((item) => item.status === "busy" || item.status === "retry");
    const status = entry.status === "idle" && working ? "busy" : entry.status;
    return { ...entry, status, waiting, worked: family.some((item) => item.worked) };
  }).filter((row) => row.status !== "idle" || row.waiting > 0 || row.worked).slice(0, 20);
}

export default function LiveActivity(
  props: { initial: ActivityItem[]; worktrees?: WorktreeLabels },
) {
  if (IS_BROWSER && !seeded) {
    seeded = true;
    seedSessions(props.initial);
  }
  const items = useComputed(() =>
    rows(
      IS_BROWSER
        ? Object.values(sessions.value).map((entry) => ({ ...entry, title: entry.title ?? "" }))
        : props.initial,
    )
  );
  if (items.value.length === 0) {
    return <section class="live-activity" aria-label="Active now" hidden />;
  }
  return (
    <section class="live-activity" aria-label="Active now">
      <h2 class="nav-heading">Active now</h2>
      <ul>
        {items.value.map((item) => (
          <li key={item.id}>
            <a href={`/session/${encodeURIComponent(item.id)}`} title={item.directory}>
              {item.title || "Untitled session"}
            </a>
            <WorktreeTag label={props.worktrees?.[item.directory]} />
            <StatusBadge
              status={item.status}
              waiting={item.waiting}
              unread={item.id in unread.value}
            />
          </li>
        ))}
      </ul>
    </section>
  );
}
