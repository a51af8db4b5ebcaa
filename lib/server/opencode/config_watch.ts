/**
 * Notices when OpenCode's config changes, so nobody has to restart anything after editing it.
 * OpenCode reads its config when a project's instance boots: the global files (in
 * `$XDG_CONFIG_HOME/opencode/`, and `$OPENCODE_CONFIG`) and each project's own (`opencode.json`,
 * `opencode.jsonc` in its folder). Every few seconds the files of the global config and of the
 * live projects are looked at (their size and time, a stat each: no reading); a change (a file
 * written, added or removed) calls `onChange` with the paths that changed, once per round.
 */

import { join } from "node:path";

export interface ConfigWatchOptions {
  /** The files to look at now (the global ones and the live projects'). */
  files(): string[];
  /** Called with the files that changed since the last round. */
  onChange(changed: string[]): void;
  /** How often to look, in ms (default 2 s). */
  intervalMs?: number;
}

/**
 * The config files OpenCode reads for the projects in `directories`, the global ones first.
 *
 * @example
 * ```ts
 * opencodeConfigFiles((name) => Deno.env.get(name), ["/home/me/app"]);
 * // ["/home/me/.config/opencode/opencode.json", …, "/home/me/app/opencode.json", …]
 * ```
 */
export function opencodeConfigFiles(
  env: (name: string) => string | undefined,
  directories: Iterable<string>,
): string[] {
  const home = env("HOME") ?? ".";
  const global = join(env("XDG_CONFIG_HOME") ?? join(home, ".config"), "opencode");
  const files = ["opencode.json", "opencode.jsonc", "config.json"].map((name) =>
    join(global, name)
  );
  const custom = env("OPENCODE_CONFIG");
  if (custom) files.push(custom);
  for (const directory of directories) {
    files.push(join(directory, "opencode.json"), join(directory, "opencode.jsonc"));
  }
  return files;
}

/**
 * Looks at OpenCode's config files until stopped.
 *
 * @example
 * ```ts
 * const watch = new ConfigWatch({ files, onChange: () => reloadProviders(supervisor, reload) });
 * watch.start();
 * ```
 */
export class ConfigWatch {
  #options: ConfigWatchOptions;
  /** Each file's last seen state (`missing`, or its size and time). */
  #seen = new Map<string, string>();
  #timer: ReturnType<typeof setInterval> | undefined;
  #looking = false;

  constructor(options: ConfigWatchOptions) {
    this.#options = options;
  }

  /** Takes the files as they are now, then looks again every interval. */
  start(): void {
    if (this.#timer) return;
    this.look();
    this.#timer = setInterval(() => this.look(), this.#options.intervalMs ?? 2_000);
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  /**
   * One round: the files that changed since the last round (a file seen for the first time, such
   * as a project that just became live, is only taken, not a change).
   */
  async look(): Promise<string[]> {
    if (this.#looking) return [];
    this.#looking = true;
    try {
      const changed: string[] = [];
      for (const file of new Set(this.#options.files())) {
        const now = await Deno.stat(file).then(
          (info) => `${info.size}:${info.mtime?.getTime()}`,
          () => "missing",
        );
        const before = this.#seen.get(file);
        this.#seen.set(file, now);
        if (before !== undefined && before !== now) changed.push(file);
      }
      if (changed.length > 0) this.#options.onChange(changed);
      return changed;
    } finally {
      this.#looking = false;
    }
  }
}
