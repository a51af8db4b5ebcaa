/**
 * The folders opened recently through Palot, newest first: Palot's own small state file
 * (`recent-folders.json` in its state folder), never OpenCode's storage. A file that is missing
 * or broken reads as an empty list.
 */

import { join } from "node:path";

/** Folders kept. */
const KEEP = 10;

export class RecentFolders {
  #file: string;

  /** Keeps the list in `stateDir/recent-folders.json`. */
  constructor(stateDir: string) {
    this.#file = join(stateDir, "recent-folders.json");
  }

  /**
   * The recent folders, newest first.
   *
   * @example
   * ```ts
   * for (const folder of new RecentFolders(config.stateDir).list()) console.log(folder);
   * ```
   */
  list(): string[] {
    try {
      const value = JSON.parse(Deno.readTextFileSync(this.#file));
      return Array.isArray(value) ? value.filter((item) => typeof item === "string") : [];
    } catch {
      return [];
    }
  }

  /** Puts `path` first (once), keeping the newest ten. */
  async add(path: string): Promise<void> {
    const next = [path, ...this.list().filter((item) => item !== path)].slice(0, KEEP);
    await Deno.mkdir(join(this.#file, ".."), { recursive: true });
    const temporary = `${this.#file}.${crypto.randomUUID()}.tmp`;
    await Deno.writeTextFile(temporary, JSON.stringify(next));
    await Deno.rename(temporary, this.#file);
  }
}
