/**
 * The `Enable notifications` button and the permission it reflects, for the header and the
 * Settings page. The browser is asked only when the user clicks it.
 */

import { useEffect, useState } from "preact/hooks";
import { notificationPermission } from "./system_notification.ts";

type Permission = ReturnType<typeof notificationPermission>;

/** The notification permission, read once hydrated (`undefined` before, and on the server). */
export function useNotificationPermission(): [Permission | undefined, () => Promise<void>] {
  const [permission, setPermission] = useState<Permission | undefined>(undefined);
  useEffect(() => setPermission(notificationPermission()), []);
  const ask = async () => setPermission(await Notification.requestPermission());
  return [permission, ask];
}

/** The button, shown only while the browser has not been asked. */
export function EnableNotifications(
  { permission, ask }: { permission: Permission | undefined; ask: () => Promise<void> },
) {
  if (permission !== "default") return null;
  return (
    <button type="button" class="button enable-notifications" onClick={ask}>
      Enable notifications
    </button>
  );
}
