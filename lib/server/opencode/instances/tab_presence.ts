/**
 * What each browser tab says it shows: the project directories whose OpenCode instances stay while
 * it shows them. A report replaces the tab's last one and holds for `ttlMs` unless a new one comes
 * (a tab that vanished without a word stops counting then); a directory a tab stops showing, by a
 * new report or an expired one, is handed to `onLeave`. Directories are compared as given: the
 * caller normalizes them. At most `maxTabs` tabs are remembered: past that, the one that reported
 * longest ago is forgotten, so reports cannot grow Palot's memory without bound.
 */

export interface TabPresenceOptions {
  /** How long a report holds without a new one (default 90 s). */
  ttlMs?: number;
  /** Called with each directory a tab stops showing. */
  onLeave?: (directory: string) => void;
  /** The most tabs remembered (default 200). */
  maxTabs?: number;
}

/**
 * The tabs' reports of what they show.
 *
 * @example
 * ```ts
 * const presence = new TabPresence({ onLeave: (directory) => console.log(directory) });
 * presence.show("tab-1", ["/home/me/app"]);
 * presence.shown(); // Set {"/home/me/app"}
 * presence.show("tab-1", []); // logs "/home/me/app"
 * ```
 */
export class TabPresence {
  #tabs = new Map<string, { directories: string[]; until: number }>();
  #ttlMs: number;
  #onLeave: (directory: string) => void;
  #maxTabs: number;

  constructor(options: TabPresenceOptions = {}) {
    this.#ttlMs = options.ttlMs ?? 90_000;
    this.#onLeave = options.onLeave ?? (() => {});
    this.#maxTabs = options.maxTabs ?? 200;
  }

  /** Replaces what `tab` shows (an empty list when it closes). */
  show(tab: string, directories: string[]): void {
    for (const directory of this.#tabs.get(tab)?.directories ?? []) {
      if (!directories.includes(directory)) this.#onLeave(directory);
    }
    // Deleted first, so the map's order runs from the tab that reported longest ago.
    this.#tabs.delete(tab);
    if (directories.length === 0) return;
    this.#tabs.set(tab, { directories, until: Date.now() + this.#ttlMs });
    for (const oldest of this.#tabs.keys()) {
      if (this.#tabs.size <= this.#maxTabs) break;
      this.show(oldest, []);
    }
  }

  /** The directories some tab shows now; expired reports are dropped first. */
  shown(now = Date.now()): Set<string> {
    const shown = new Set<string>();
    for (const [tab, { directories, until }] of this.#tabs) {
      if (until < now) this.show(tab, []);
      else for (const directory of directories) shown.add(directory);
    }
    return shown;
  }
}
