/**
 * "Active now", in the sidebar and on the home page: sessions of any project that are working,
 * waiting for an answer or failed, plus those that finished while this tab was open. Seeded from
 * the server's status index so it is right on first paint, then kept live by the store, with the
 * project cards' badges of the page (one rule for both: `lib/common/activity.ts`).
 */

import { useComputed, useSignalEffect } from "@preact/signals";
import { type ActivityItem, type ActivityRow, activityRows } from "../lib/common/activity.ts";
import { liveProjectBadges } from "../lib/client/ui/project_badges.tsx";
import { seedSessions, sessions } from "../lib/client/live/store.ts";
import { unread } from "../lib/client/live/attention.ts";
import { IS_BROWSER } from "../lib/client/ui/is_browser.ts";
import { StatusBadge } from "../lib/client/ui/status_badge.tsx";

let seeded = false;

/** Top-level sessions to list: active now, or seen active in this tab (`worked`). */
function shown(rows: ActivityRow[]): ActivityRow[] {
  return rows.filter((row) => row.status !== "idle" || row.waiting > 0 || row.worked).slice(0, 20);
}

export default function LiveActivity(props: { initial: ActivityItem[] }) {
  if (IS_BROWSER && !seeded) {
    seeded = true;
    seedSessions(props.initial);
  }
  const all = useComputed(() =>
    activityRows(
      IS_BROWSER
        ? Object.values(sessions.value).map((entry) => ({ ...entry, title: entry.title ?? "" }))
        : props.initial,
    )
  );
  const items = useComputed(() => shown(all.value));
  // The project cards' badges on the same page follow the same live state.
  useSignalEffect(() => liveProjectBadges(all.value));
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
