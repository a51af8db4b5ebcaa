/**
 * "Active now", in the sidebar and on the home page: sessions of any project that are working,
 * waiting for an answer or failed, plus those that finished while this tab was open and those
 * still unread (so the tab's `(N)` and dot always have a row to show for them). Seeded from
 * the server's status index so it is right on first paint, then kept live by the store, with the
 * project cards' badges of the page (one rule for both: `lib/common/activity.ts`).
 */

import { useComputed, useSignal, useSignalEffect } from "@preact/signals";
import { useEffect } from "preact/hooks";
import { type ActivityItem, type ActivityRow, activityRows } from "../lib/common/activity.ts";
import { liveProjectBadges } from "../lib/client/ui/project_badges.tsx";
import { seedSessions, sessions } from "../lib/client/live/store.ts";
import { unread, type UnreadMark } from "../lib/client/live/attention.ts";
import { sessionHref } from "../lib/common/remote_paths.ts";
import { IS_BROWSER } from "../lib/client/ui/is_browser.ts";
import { DoingLine, StatusBadge } from "../lib/client/ui/status_badge.tsx";
import type { WorktreeLabels } from "../lib/common/worktree_labels.ts";
import { WorktreeTag } from "../lib/client/ui/worktree_tag.tsx";

let seeded = false;

/** Top-level sessions to list: active now, unread, or seen active in this tab (`worked`). */
function shown(rows: ActivityRow[], marked: Record<string, UnreadMark>): ActivityRow[] {
  return rows.filter((row) =>
    row.status !== "idle" || row.waiting > 0 || row.worked || row.id in marked
  ).slice(0, 20);
}

/** The sessions the store knows, and the unread ones it does not (finished before this page). */
function known(marked: Record<string, UnreadMark>): ActivityItem[] {
  const items: ActivityItem[] = Object.values(sessions.value).map((entry) => ({
    ...entry,
    title: entry.title || marked[entry.id]?.title || "",
  }));
  for (const [id, mark] of Object.entries(marked)) {
    if (id in sessions.value) continue;
    const { title, directory, server } = mark;
    items.push({ id, server, title, directory, status: "idle", permissions: [], questions: [] });
  }
  return items;
}

export default function LiveActivity(
  props: { initial: ActivityItem[]; worktrees?: WorktreeLabels },
) {
  if (IS_BROWSER && !seeded) {
    seeded = true;
    seedSessions(props.initial);
  }
  // Unread marks live in this browser's storage, which the server cannot see: they are added once
  // the island has hydrated what the server rendered (hydration keeps the server's attributes).
  const hydrated = useSignal(false);
  useEffect(() => {
    hydrated.value = true;
  }, []);
  const marked = useComputed(() => hydrated.value ? unread.value : {});
  const all = useComputed(() => activityRows(IS_BROWSER ? known(marked.value) : props.initial));
  const items = useComputed(() => shown(all.value, marked.value));
  // The project cards' badges on the same page follow the same live state.
  useSignalEffect(() => liveProjectBadges(all.value));
  return (
    <section class="live-activity" aria-label="Active now" hidden={items.value.length === 0}>
      <h2 class="nav-heading">Active now</h2>
      <ul>
        {items.value.map((item) => (
          <li key={item.id}>
            <a href={sessionHref(item.server, item.id)} title={item.directory}>
              {item.title || "Untitled session"}
            </a>
            <WorktreeTag label={props.worktrees?.[item.directory]} />
            <StatusBadge
              status={item.status}
              waiting={item.waiting}
              unread={item.id in marked.value}
            />
            <DoingLine row={item} />
          </li>
        ))}
      </ul>
    </section>
  );
}
