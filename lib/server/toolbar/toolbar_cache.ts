/**
 * The server's copy of each project's toolbar options (agents, models, the configured model,
 * the branch), so a chat page renders a complete toolbar on first paint. OpenCode sends no event
 * when its config changes, so every visit refreshes the copy in the background (the page never
 * waits for it); the instance keeper drops a directory's copy when its instance goes. A tab whose
 * page came without the options asks for them (`/api/toolbar`) and joins the load the page's visit
 * started, so a cold directory is asked once. A folder no longer on disk is not loaded (that would
 * boot an instance for nothing): it is logged and marked. A folder without OpenCode config of its
 * own has the options every such folder has (`project_config.ts`): the last ones loaded for any of
 * them are shown for it, marked provisional, until its own arrive, so even a cold project's
 * toolbar is complete at first paint.
 */

import { opencodeApi, OpencodeApiError } from "../opencode/opencode_api.ts";
import {
  type ToolbarData,
  toolbarData,
  type ToolbarSnapshot,
  type ToolbarSources,
} from "../../common/toolbar_data.ts";
import type { EndpointSource, OpencodeEndpoint } from "../opencode/endpoint.ts";
import { homeFolder } from "../folders/check.ts";
import { usesOnlySharedConfig } from "./project_config.ts";

/** What loading a directory's options came to. */
export type ToolbarLoad =
  | { data: ToolbarData }
  /** The folder is not on disk. */
  | { missing: true }
  /** OpenCode is not answering (starting, restarting, or stopped): try again later. */
  | { unavailable: true }
  | { error: string };

/** Options loaded this recently are current: a tab asking right after its page's visit gets them. */
const FRESH_MS = 3_000;

export interface ToolbarCacheOptions {
  source: EndpointSource;
  /**
   * Called before OpenCode is asked about a directory (the keeper counts it as used); the function
   * it may return is called once OpenCode has answered.
   */
  onUse?: (directory: string) => (() => void) | void;
  /** Longest wait for each of OpenCode's answers (default 10 s). */
  timeoutMs?: number;
  /** The home folder OpenCode runs with (its `.opencode` is global config); default Palot's. */
  home?: string;
  /**
   * The folders are on another machine: not looked for on this disk, and no folder's options
   * stand in for another's (their config files cannot be read from here).
   */
  remote?: boolean;
  log?: (line: string) => void;
}

interface Loaded {
  data: ToolbarData;
  loadedAt: number;
  endpoint: OpencodeEndpoint;
}

/**
 * Toolbar options by directory.
 *
 * @example
 * ```ts
 * const toolbars = new ToolbarCache({ source: supervisor, onUse: (dir) => keeper.use(dir) });
 * const { data } = toolbars.visit("/home/me/app"); // what is known now; refreshed in background
 * ```
 */
export class ToolbarCache {
  #options: ToolbarCacheOptions;
  #entries = new Map<string, Loaded>();
  /** The options last loaded for a folder without config of its own (without its branch). */
  #shared: Pick<Loaded, "data" | "endpoint"> | undefined;
  #missing = new Set<string>();
  #loading = new Map<string, Promise<ToolbarLoad>>();
  /** Counts {@linkcode ToolbarCache.clear} calls: a load started before one keeps nothing. */
  #generation = 0;

  constructor(options: ToolbarCacheOptions) {
    this.#options = options;
  }

  /**
   * What is known about `directory` now (its own options, else provisionally the shared ones when
   * it has no config of its own), and a refresh started in the background.
   */
  visit(directory: string): ToolbarSnapshot {
    const own = this.#entries.get(directory)?.data;
    const missing = this.#missing.has(directory);
    this.refresh(directory);
    if (own || missing) return { data: own, missing };
    const shared = this.#shared;
    if (
      shared && shared.endpoint === this.#options.source.endpoint() && this.#sharesConfig(directory)
    ) {
      return { data: shared.data, provisional: true };
    }
    return {};
  }

  /**
   * `directory`'s current options: the load in flight when there is one, those just loaded, else
   * a new load. Never rejects.
   */
  current(directory: string): Promise<ToolbarLoad> {
    const entry = this.#entries.get(directory);
    const fresh = entry && Date.now() - entry.loadedAt < FRESH_MS &&
      entry.endpoint === this.#options.source.endpoint();
    if (fresh && !this.#loading.has(directory)) {
      return Promise.resolve({ data: entry.data });
    }
    return this.refresh(directory);
  }

  /** Reloads `directory`'s options from OpenCode (once at a time); never rejects. */
  refresh(directory: string): Promise<ToolbarLoad> {
    let loading = this.#loading.get(directory);
    if (!loading) {
      const load: Promise<ToolbarLoad> = this.#load(directory).finally(() => {
        if (this.#loading.get(directory) === load) this.#loading.delete(directory);
      });
      this.#loading.set(directory, loading = load);
    }
    return loading;
  }

  /** Forgets `directory` (its instance was disposed). */
  drop(directory: string): void {
    this.#entries.delete(directory);
  }

  /**
   * Forgets every directory's options, the shared ones too, and what loads in flight will bring:
   * OpenCode's providers changed (a key saved or removed, a config edited), so the next page asks
   * again rather than show the models of before.
   */
  clear(): void {
    this.#generation++;
    this.#entries.clear();
    this.#shared = undefined;
    this.#loading.clear();
  }

  async #load(directory: string): Promise<ToolbarLoad> {
    const endpoint = this.#options.source.endpoint();
    if (!endpoint) return { unavailable: true };
    try {
      if (this.#options.remote) { /* on another machine: OpenCode says whether it is there */ }
      else if (!(await Deno.stat(directory)).isDirectory) throw new Deno.errors.NotFound();
      this.#missing.delete(directory);
    } catch {
      if (!this.#missing.has(directory)) {
        this.#log(`Folder "${directory}" no longer exists on disk; its toolbar is not loaded`);
      }
      this.#missing.add(directory);
      this.#entries.delete(directory);
      return { missing: true };
    }
    const generation = this.#generation;
    const answered = this.#options.onUse?.(directory);
    // Asked of the server read above, even if another takes its place meanwhile.
    const get = (path: string) =>
      opencodeApi({ endpoint: () => endpoint }, path, {
        directory,
        timeoutMs: this.#options.timeoutMs ?? 10_000,
      });
    try {
      const [agents, providers, config, vcs] = await Promise.all([
        get("/agent"),
        get("/config/providers"),
        get("/config"),
        get("/vcs").catch(() => undefined),
      ]);
      const data = toolbarData({ agents, providers, config, vcs } as ToolbarSources);
      // A server that changed meanwhile, or options cleared meanwhile, may mean other options:
      // the next visit asks again.
      if (this.#options.source.endpoint() === endpoint && generation === this.#generation) {
        const loaded = { data, loadedAt: Date.now(), endpoint };
        this.#entries.set(directory, loaded);
        if (this.#sharesConfig(directory)) {
          this.#shared = { data: { ...data, branch: undefined }, endpoint };
        }
      }
      return { data };
    } catch (error) {
      this.#log(`Cannot load the toolbar of "${directory}": ${(error as Error).message}`);
      // No answer, or the proxy's own "not there": OpenCode is starting, restarting or gone.
      const refused = error instanceof OpencodeApiError && error.status !== 502 &&
        error.status !== 503;
      return refused ? { error: (error as Error).message } : { unavailable: true };
    } finally {
      answered?.();
    }
  }

  #sharesConfig(directory: string): boolean {
    if (this.#options.remote) return false;
    return usesOnlySharedConfig(directory, {
      home: this.#options.home ?? homeFolder(),
    });
  }

  #log(line: string): void {
    (this.#options.log ?? console.log)(line);
  }
}
