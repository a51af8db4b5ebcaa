/**
 * System notifications (the Web Notifications API) for what needs the user, and the words for
 * them, shared with the in-page notice. Permission is asked only from a click on
 * `Enable notifications`, never on load.
 */

import type { Attention } from "../live/attention.ts";
import { sessionHref } from "../../common/remote_paths.ts";

/** The notice's headline: what happened, and to which session. */
export function attentionHeadline({ kind, title }: Attention): string {
  switch (kind) {
    case "finished":
      return `Finished: ${title}`;
    case "failed":
      return `Failed: ${title}`;
    case "permission":
      return `Needs your permission: ${title}`;
    case "question":
      return `Has a question: ${title}`;
  }
}

/** The notice's second line: the project, and the error of a failure. */
export function attentionBody({ project, detail }: Attention): string {
  return detail ? `${project} · ${detail}` : project;
}

/** `granted`, `denied`, `default` (not asked yet), or `unsupported` by this browser. */
export function notificationPermission(): NotificationPermission | "unsupported" {
  return typeof Notification === "function" ? Notification.permission : "unsupported";
}

/**
 * Shows `attention` as a system notification when the user allowed them; clicking it opens the
 * session in this tab.
 *
 * @example
 * ```ts
 * watchAttention(showSystemNotification);
 * ```
 */
export function showSystemNotification(attention: Attention): void {
  if (notificationPermission() !== "granted") return;
  const notification = new Notification(attentionHeadline(attention), {
    body: attentionBody(attention),
    tag: attention.id,
  });
  notification.onclick = () => {
    notification.close();
    globalThis.focus();
    location.assign(sessionHref(attention.server, attention.sessionID));
  };
}
