/**
 * The side pane's stored settings and the page layout they make: `data-pane-open` and
 * `--pane-width` on the root element, which the stylesheet turns into the space beside the chat.
 * `lib/client/boot.ts` applies them before the page paints, so the chat is where it will stay
 * when the pane opens after hydration (nothing jumps); this module imports nothing for that reason.
 */

/** The pane's tabs, in order. `agents` is shown only for a session with sub-agents. */
export const PANE_TABS = ["changes", "files", "terminal", "todo", "agents"] as const;
export type PaneTab = (typeof PANE_TABS)[number];

export const PANE_MIN_WIDTH = 320;
export const PANE_MAX_WIDTH = 1400;

/** Where the pane's state is kept in this browser. */
export const PANE_STORAGE_KEY = "palot.workbench";

export interface PaneSettings {
  open: boolean;
  tab: PaneTab;
  width: number;
}

export const PANE_DEFAULTS: PaneSettings = { open: false, tab: "changes", width: 480 };

/** The settings as stored, or the defaults (and only sane values: storage is another's too). */
export function readPaneSettings(): PaneSettings {
  try {
    const stored = JSON.parse(localStorage.getItem(PANE_STORAGE_KEY) ?? "{}");
    return {
      open: stored.open === true,
      tab: PANE_TABS.includes(stored.tab) ? stored.tab : PANE_DEFAULTS.tab,
      width: typeof stored.width === "number" ? clampWidth(stored.width) : PANE_DEFAULTS.width,
    };
  } catch {
    return { ...PANE_DEFAULTS };
  }
}

export function clampWidth(width: number): number {
  return Math.round(Math.min(PANE_MAX_WIDTH, Math.max(PANE_MIN_WIDTH, width)));
}

/** Lays the page out for `settings`. */
export function applyPaneLayout(settings: PaneSettings): void {
  const root = document.documentElement;
  root.toggleAttribute("data-pane-open", settings.open);
  root.style.setProperty("--pane-width", `${settings.width}px`);
}

/** On a page with a pane (`[data-workbench]`), lays it out as stored, before the first paint. */
export function restorePaneLayout(): void {
  if (document.querySelector("[data-workbench]")) applyPaneLayout(readPaneSettings());
}
