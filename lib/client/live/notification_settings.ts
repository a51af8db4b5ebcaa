/**
 * Which events may interrupt the user, remembered in the browser: each kind on or off, and
 * projects muted (by folder). Kept in local storage and followed across tabs.
 */

import { type Signal, signal } from "@preact/signals";

/** Why a session needs the user. */
export type AttentionKind = "finished" | "failed" | "permission" | "question";

/** Each kind as the settings name it. */
export const KIND_LABELS: Record<AttentionKind, string> = {
  finished: "A session finished",
  failed: "A session failed",
  permission: "An agent asks permission",
  question: "An agent asks a question",
};

export interface NotificationSettings {
  kinds: Record<AttentionKind, boolean>;
  /** Project folders whose sessions never interrupt. */
  muted: string[];
}

const STORAGE_KEY = "palot:notifications";

export const DEFAULT_SETTINGS: NotificationSettings = {
  kinds: { finished: true, failed: true, permission: true, question: true },
  muted: [],
};

function load(): NotificationSettings {
  try {
    const saved = JSON.parse(browserStorage()?.getItem(STORAGE_KEY) ?? "null");
    if (!saved || typeof saved !== "object") return DEFAULT_SETTINGS;
    return {
      kinds: { ...DEFAULT_SETTINGS.kinds, ...saved.kinds },
      muted: Array.isArray(saved.muted)
        ? saved.muted.filter((x: unknown) => typeof x === "string")
        : [],
    };
  } catch {
    return DEFAULT_SETTINGS;
  }
}

/** The settings in effect (defaults: every kind on, nothing muted). */
export const notificationSettings: Signal<NotificationSettings> = signal(load());

if (typeof document !== "undefined") {
  addEventListener("storage", (event: StorageEvent) => {
    if (event.key === STORAGE_KEY) notificationSettings.value = load();
  });
}

/**
 * Changes and remembers the settings.
 *
 * @example
 * ```ts
 * saveNotificationSettings({ ...notificationSettings.value, muted: ["/home/me/noisy"] });
 * ```
 */
export function saveNotificationSettings(next: NotificationSettings): void {
  notificationSettings.value = next;
  browserStorage()?.setItem(STORAGE_KEY, JSON.stringify(next));
}

/** Whether `directory` is inside a muted project folder. */
export function isMuted(directory: string, settings = notificationSettings.value): boolean {
  return settings.muted.some((folder) =>
    directory === folder || directory.startsWith(folder.endsWith("/") ? folder : `${folder}/`)
  );
}

/** The browser's local storage; none on the server (Deno has one of its own, not to be touched). */
export function browserStorage(): Storage | undefined {
  return typeof document === "undefined" ? undefined : localStorage;
}
