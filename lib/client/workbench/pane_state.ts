/**
 * The session page's side pane as this browser left it: open or closed, its tab and its width,
 * kept in local storage (one setting for every session, as an editor keeps its side bar), and the
 * requests other parts of the page make of it: open a tab, open a file at a line. A file name
 * anywhere on the page (a tool card in the live chat or in the server-rendered history, a diff, the
 * Changes list) is a `button[data-open-file]`, opened here by one delegated click handler.
 */

import { signal } from "@preact/signals";
import {
  applyPaneLayout,
  PANE_DEFAULTS,
  PANE_STORAGE_KEY,
  type PaneSettings,
  type PaneTab,
} from "./pane_layout.ts";

export { PANE_MIN_WIDTH, PANE_TABS, type PaneSettings, type PaneTab } from "./pane_layout.ts";

/** A sub-agent session of the session on the page. */
export interface SubSession {
  id: string;
  title: string;
}

/** A file to show in the Files tab, at a line (1-based) when one is known. */
export interface FileRequest {
  path: string;
  line?: number;
  /** Tells two requests for the same place apart (a second click scrolls there again). */
  serial: number;
}

/** The pane's state on this page (closed until the page's script has read the stored one). */
export const pane = signal<PaneSettings>({ ...PANE_DEFAULTS });
/** The last file asked for, which the Files tab opens. */
export const fileRequest = signal<FileRequest | undefined>(undefined);

/** Changes the pane's state and keeps it. */
export function setPane(patch: Partial<PaneSettings>): void {
  pane.value = { ...pane.value, ...patch };
  try {
    localStorage.setItem(PANE_STORAGE_KEY, JSON.stringify(pane.value));
  } catch { /* storage full or denied: the pane is as it is for this page only */ }
  applyPaneLayout(pane.value);
}

/** Opens the pane at `tab`. */
export function showTab(tab: PaneTab): void {
  setPane({ open: true, tab });
}

/** Opens the pane's tab unless it is the one open, which closes the pane (a toolbar toggle). */
export function toggleTab(tab: PaneTab): void {
  if (pane.value.open && pane.value.tab === tab) setPane({ open: false });
  else showTab(tab);
}

let serial = 0;

/**
 * Opens `path` (absolute, or relative to `directory`) in the Files tab at `line`.
 *
 * @example
 * ```ts
 * openFile("/home/me/app", "/home/me/app/src/main.ts", 12); // src/main.ts, line 12
 * ```
 */
export function openFile(directory: string, path: string, line?: number): void {
  fileRequest.value = { path: relativePath(directory, path), line, serial: ++serial };
  showTab("files");
}

/** `path` relative to `directory` when it is inside it, else as it is. */
export function relativePath(directory: string, path: string): string {
  const root = directory.endsWith("/") ? directory : `${directory}/`;
  return path.startsWith(root) ? path.slice(root.length) : path.replace(/^\.\//, "");
}

/**
 * Opens files clicked anywhere on the page (`button[data-open-file]`, with `data-line`); returns
 * the function that stops.
 */
export function openFilesOnClick(directory: string): () => void {
  const onClick = (event: MouseEvent) => {
    const target = (event.target as Element | null)?.closest?.("[data-open-file]") as
      | HTMLElement
      | null
      | undefined;
    if (!target) return;
    event.preventDefault();
    const line = Number(target.dataset.line);
    openFile(directory, target.dataset.openFile!, line > 0 ? line : undefined);
  };
  document.addEventListener("click", onClick);
  return () => document.removeEventListener("click", onClick);
}
