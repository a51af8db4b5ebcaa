/**
 * The Notifications section of Settings: whether the browser may show notifications (with
 * `Enable notifications` until asked), each kind on or off, and projects muted. Choices are
 * remembered in this browser and apply to the system notifications and the in-page notices.
 */

import { useEffect, useState } from "preact/hooks";
import {
  DEFAULT_SETTINGS,
  KIND_LABELS,
  notificationSettings,
  saveNotificationSettings,
} from "../lib/client/live/notification_settings.ts";
import type { AttentionKind } from "../lib/client/live/notification_settings.ts";
import {
  EnableNotifications,
  useNotificationPermission,
} from "../lib/client/ui/enable_notifications.tsx";

export interface NotificationSettingsProps {
  projects: { name: string; worktree: string }[];
}

const PERMISSION_TEXT = {
  granted: "This browser shows Palot's notifications.",
  denied: "This browser blocks Palot's notifications: allow them in the site's settings.",
  default: "Palot has not asked this browser for notifications yet.",
  unsupported: "This browser cannot show notifications; the title, the icon and notices still say.",
} as const;

export default function NotificationSettings({ projects }: NotificationSettingsProps) {
  const [permission, ask] = useNotificationPermission();
  // The server rendered the defaults (it cannot read this browser's storage), and hydration keeps
  // the served `checked` states: the stored choices are rendered once mounted, as a change.
  const [mounted, setMounted] = useState(false);
  useEffect(() => setMounted(true), []);
  const settings = mounted ? notificationSettings.value : DEFAULT_SETTINGS;
  const setKind = (kind: AttentionKind, on: boolean) =>
    saveNotificationSettings({ ...settings, kinds: { ...settings.kinds, [kind]: on } });
  const setMuted = (folder: string, muted: boolean) =>
    saveNotificationSettings({
      ...settings,
      muted: muted
        ? [...settings.muted.filter((known) => known !== folder), folder]
        : settings.muted.filter((known) => known !== folder),
    });
  return (
    <section class="settings-section" aria-labelledby="settings-notifications">
      <h2 id="settings-notifications">Notifications</h2>
      <p class="muted">
        {permission ? PERMISSION_TEXT[permission] : "Notifications need JavaScript."}{" "}
        <EnableNotifications permission={permission} ask={ask} />
      </p>
      <fieldset disabled={permission === undefined}>
        <legend>Tell me when</legend>
        {(Object.keys(KIND_LABELS) as AttentionKind[]).map((kind) => (
          <label key={kind} class="check">
            <input
              type="checkbox"
              checked={settings.kinds[kind]}
              onChange={(event) =>
                setKind(kind, event.currentTarget.checked)}
            />
            {KIND_LABELS[kind]}
          </label>
        ))}
      </fieldset>
      {projects.length > 0 && (
        <fieldset disabled={permission === undefined}>
          <legend>Mute projects</legend>
          {projects.map((project) => (
            <label key={project.worktree} class="check" title={project.worktree}>
              <input
                type="checkbox"
                aria-label={`Mute ${project.name}`}
                checked={settings.muted.includes(project.worktree)}
                onChange={(event) =>
                  setMuted(project.worktree, event.currentTarget.checked)}
              />
              {project.name}
            </label>
          ))}
        </fieldset>
      )}
    </section>
  );
}
