/**
 * What needs the user, on every page: the `Enable notifications` button (until the browser has
 * been asked), small in-page notices when a session elsewhere finishes, fails or asks something,
 * the count of sessions waiting for the user or unread in the tab title (`(2) Palot`), a dot on
 * the icon when there is any, and unread marks on server-rendered session lists. Starts the browser-wide watch that sends
 * system notifications (decided in one tab only).
 */

import { effect } from "@preact/signals";
import { useEffect } from "preact/hooks";
import {
  attentionCount,
  dismissNotice,
  markRead,
  notices,
  unread,
  watchAttention,
} from "../lib/client/live/attention.ts";
import { connectEvents } from "../lib/client/live/connection.ts";
import { currentView } from "../lib/client/live/shared_stream.ts";
import {
  EnableNotifications,
  useNotificationPermission,
} from "../lib/client/ui/enable_notifications.tsx";
import { setFaviconDot } from "../lib/client/ui/favicon.ts";
import { pageTitle } from "../lib/client/ui/page_title.ts";
import { sessionHref } from "../lib/common/remote_paths.ts";
import {
  attentionBody,
  attentionHeadline,
  showSystemNotification,
} from "../lib/client/ui/system_notification.ts";

export default function Attention() {
  const [permission, ask] = useNotificationPermission();
  useEffect(() => {
    connectEvents();
    watchAttention(showSystemNotification);
    const stopTitle = effect(() => {
      const count = attentionCount.value;
      document.title = count > 0 ? `(${count}) ${pageTitle.value}` : pageTitle.value;
      setFaviconDot(count > 0);
    });
    // Unread marks on lists rendered by the server (a project's sessions).
    const stopMarks = effect(() => {
      const ids = unread.value;
      for (const mark of document.querySelectorAll<HTMLElement>("[data-unread-for]")) {
        mark.hidden = !(mark.dataset.unreadFor! in ids);
      }
    });
    const look = () => {
      const view = currentView();
      if (view.visible && view.sessionID) markRead(view.sessionID);
    };
    look();
    const stopLooking = effect(() => {
      if (unread.value) look();
    });
    document.addEventListener("visibilitychange", look);
    return () => {
      stopTitle();
      stopMarks();
      stopLooking();
      document.removeEventListener("visibilitychange", look);
    };
  }, []);
  return (
    <>
      <EnableNotifications permission={permission} ask={ask} />
      {notices.value.length > 0 && (
        <ul class="notices" aria-label="Notices">
          {notices.value.map((notice) => (
            <li key={notice.id} class={`notice notice-${notice.kind}`}>
              <a href={sessionHref(notice.server, notice.sessionID)}>
                {attentionHeadline(notice)}
              </a>
              <span class="muted">{attentionBody(notice)}</span>
              <button type="button" class="notice-dismiss" onClick={() => dismissNotice(notice.id)}>
                Dismiss
              </button>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
