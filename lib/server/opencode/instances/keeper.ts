/**
 * The instance keeper: which project directories have a live OpenCode instance inside the one
 * server (booted by the first request naming `?directory=`, kept until `POST /instance/dispose`)
 * and when each was last used. It disposes what `disposal.ts` chooses (idle, or least recently
 * used above a soft cap; pinned ones stay). OpenCode's `server.instance.disposed` events and a new
 * server clear its state; after adopting a running server it counts the recently active folders as
 * live. It never talks to the browser: the proxy, server-side calls and the presence route report.
 */

import type { HubEvent } from "../../../common/hub_event.ts";
import type { LiveSession } from "../../events/status_index.ts";
import { opencodeApi } from "../opencode_api.ts";
import { chooseDisposals, type DisposalLimits, instancePins } from "./disposal.ts";
import type { OpencodeEndpoint } from "../endpoint.ts";
import { normalizeDirectory } from "./request_directory.ts";
import { RunningTerminals } from "./running_terminals.ts";
import { TabPresence } from "./tab_presence.ts";

/** Where the keeper finds the server, and hears that it changed (the supervisor). */
export interface InstanceSource {
  endpoint(): OpencodeEndpoint | undefined;
  subscribe?(listener: () => void): () => void;
}

export interface InstanceKeeperOptions {
  source: InstanceSource;
  /** Idle time after which an unpinned instance is disposed (default 10 minutes; 0: never). */
  idleMs?: number;
  /** Live instances above which the least recently used unpinned ones go (default 8; 0: no cap). */
  maxInstances?: number;
  /** What the status index knows now: sessions busy, retrying or waiting for an answer pin. */
  liveSessions?: () => Record<string, LiveSession>;
  /** Directories with sessions updated since a time (discovery), counted live after adopting. */
  recentDirectories?: (sinceMs: number) => string[];
  /** How long a tab's report of what it shows holds without a new one (default 90 s). */
  presenceTtlMs?: number;
  /** An instance used this recently is never disposed for the cap (default 5 s). */
  graceMs?: number;
  /** How often idle instances are looked for (default 15 s). */
  sweepIntervalMs?: number;
  /** Longest wait for OpenCode to dispose one instance (default 10 s). */
  disposeTimeoutMs?: number;
  /** Called with a directory whose instance is gone (disposed, or its server replaced). */
  onForget?: (directory: string) => void;
  log?: (line: string) => void;
  /** The clock of use and idleness (default `Date.now`): a test moves its own instead of waiting. */
  now?: () => number;
}

/** One live instance as `GET /api/opencode` reports it. */
export interface InstanceReport {
  directory: string;
  /** When Palot last saw it used (ms since the epoch). */
  lastUsed: number;
  /** Why it cannot be disposed now: `session`, `tab`, `request`; empty when it can. */
  pinnedBy: string[];
}

/** How far back "recently active" reaches for an adopted server (as the status seed does). */
const RECENT_MS = 24 * 3600_000;

/**
 * Keeps OpenCode's per-directory instances few.
 *
 * @example
 * ```ts
 * const keeper = new InstanceKeeper({ source: supervisor, liveSessions: () => live.index.snapshot() });
 * keeper.start();
 * keeper.use("/home/me/app");          // the proxy, for each request naming a directory
 * keeper.show("tab-1", ["/home/me/app"]); // a tab says what it shows
 * keeper.report();                     // [{directory: "/home/me/app", lastUsed, pinnedBy: ["tab"]}]
 * await keeper.stop();
 * ```
 */
export class InstanceKeeper {
  #options: InstanceKeeperOptions;
  /** Live directories and when each was last used, least recently used first. */
  #live = new Map<string, number>();
  /** When Palot asked OpenCode to dispose each directory, until OpenCode's event about it. */
  #disposeAsked = new Map<string, number>();
  /** Requests waiting for OpenCode's answer, by directory: never disposed under them. */
  #inFlight = new Map<string, number>();
  /** What the tabs show (a directory a tab stops showing counts as used then). */
  #tabs: TabPresence;
  /** The terminals running now, by directory: each pins its instance. */
  readonly terminals = new RunningTerminals();
  #endpoint: OpencodeEndpoint | undefined;
  #unsubscribe: (() => void) | undefined;
  #timer: ReturnType<typeof setInterval> | undefined;
  #sweeping: Promise<void> | undefined;
  #sweepAgain = false;
  #limits: DisposalLimits;
  #now: () => number;

  constructor(options: InstanceKeeperOptions) {
    this.#options = options;
    this.#now = options.now ?? Date.now;
    this.#limits = {
      idleMs: options.idleMs ?? 600_000,
      maxInstances: options.maxInstances ?? 8,
      graceMs: options.graceMs ?? 5_000,
    };
    this.#tabs = new TabPresence({
      ttlMs: options.presenceTtlMs,
      onLeave: (directory) => this.#usedNow(directory),
    });
  }

  /** Follows the server and starts looking for idle instances. */
  start(): void {
    if (this.#timer) return;
    this.#unsubscribe = this.#options.source.subscribe?.(() => this.#checkServer());
    this.#checkServer();
    this.#timer = setInterval(() => this.sweep(), this.#options.sweepIntervalMs ?? 15_000);
  }

  /** Stops looking; resolves once a disposal in progress has finished. */
  async stop(): Promise<void> {
    clearInterval(this.#timer);
    this.#unsubscribe?.();
    await this.#sweeping;
  }

  /**
   * Marks `directory` used now (its instance is live, or is about to be booted by the request);
   * returns the function to call once OpenCode has answered: until then it is pinned.
   *
   * @example
   * ```ts
   * const answered = keeper.use(requestDirectory(request));
   * await fetch(target);
   * answered();
   * ```
   */
  use(directory: string | undefined): () => void {
    const normalized = normalizeDirectory(directory);
    if (!normalized) return () => {};
    this.#checkServer();
    this.#live.delete(normalized);
    this.#live.set(normalized, this.#now());
    this.#inFlight.set(normalized, (this.#inFlight.get(normalized) ?? 0) + 1);
    const { maxInstances } = this.#limits;
    if (maxInstances > 0 && this.#live.size > maxInstances) this.sweep();
    let done = false;
    return () => {
      if (done) return;
      done = true;
      const left = (this.#inFlight.get(normalized) ?? 1) - 1;
      if (left > 0) this.#inFlight.set(normalized, left);
      else this.#inFlight.delete(normalized);
      this.#usedNow(normalized);
    };
  }

  /**
   * Records what one tab shows now (replacing its last report; an empty list when it closes).
   * Shown directories are pinned until the report expires.
   *
   * @example
   * ```ts
   * keeper.show("tab-1", ["/home/me/app"]);
   * ```
   */
  show(tab: string, directories: string[]): void {
    const shown = directories.map(normalizeDirectory);
    this.#tabs.show(tab, shown.filter((directory) => directory !== undefined));
  }

  /**
   * Follows OpenCode's events: a disposed instance is forgotten (unless Palot disposed it and a
   * request has booted it again since: the event comes late); any other event naming a directory
   * proves its instance live.
   */
  observe(event: HubEvent): void {
    this.terminals.observe(event);
    const properties = (event.payload.properties ?? {}) as Record<string, unknown>;
    if (event.payload.type === "server.instance.disposed") {
      const directory = normalizeDirectory(
        typeof properties.directory === "string" ? properties.directory : event.directory,
      );
      if (!directory) return;
      const asked = this.#disposeAsked.get(directory);
      this.#disposeAsked.delete(directory);
      if (asked !== undefined && (this.#live.get(directory) ?? 0) > asked) return;
      this.#forget(directory);
      return;
    }
    const directory = normalizeDirectory(event.directory);
    if (directory && !this.#live.has(directory)) this.#live.set(directory, this.#now());
  }

  /** The live directories, least recently used first. */
  directories(): string[] {
    this.#checkServer();
    return [...this.#live.keys()];
  }

  /** Every live instance with its last use and what pins it, least recently used first. */
  report(): InstanceReport[] {
    const pins = this.#pins();
    return [...this.#live].map(([directory, lastUsed]) => ({
      directory,
      lastUsed,
      pinnedBy: pins.get(directory) ?? [],
    }));
  }

  /**
   * Disposes what is idle or over the cap now (at most one sweep at a time; a request during a
   * sweep runs another after it). Resolves when done; never rejects.
   */
  sweep(): Promise<void> {
    if (this.#sweeping) {
      this.#sweepAgain = true;
      return this.#sweeping;
    }
    this.#sweeping = (async () => {
      do {
        this.#sweepAgain = false;
        for (const directory of this.#disposable()) await this.#dispose(directory);
      } while (this.#sweepAgain);
    })().finally(() => this.#sweeping = undefined);
    return this.#sweeping;
  }

  /** Directories to dispose now: idle ones, then the least recently used above the cap. */
  #disposable(): string[] {
    return chooseDisposals(this.#live, this.#pins(), this.#limits, this.#now());
  }

  /** Pinned directories and why ({@linkcode instancePins}). */
  #pins(): Map<string, string[]> {
    return instancePins({
      sessions: this.#options.liveSessions?.() ?? {},
      requests: this.#inFlight.keys(),
      tabs: this.#tabs.shown(),
      terminals: this.terminals.directories(),
    });
  }

  async #dispose(directory: string): Promise<void> {
    const endpoint = this.#endpoint;
    const lastUsed = this.#live.get(directory);
    // Pinned or used again since the sweep chose it: kept.
    if (!endpoint || lastUsed === undefined || !this.#disposable().includes(directory)) return;
    const idleFor = Math.round((this.#now() - lastUsed) / 1000);
    this.#disposeAsked.set(directory, this.#now());
    try {
      // Asked of the server that chose it, even if another has taken its place meanwhile.
      await opencodeApi({ endpoint: () => endpoint }, "/instance/dispose", {
        method: "POST",
        directory,
        timeoutMs: this.#options.disposeTimeoutMs ?? 10_000,
      });
      // Used again while OpenCode disposed it: the next request boots it again, so it is live.
      if (this.#live.get(directory) === lastUsed) this.#forget(directory);
      this.#log(`Disposed the OpenCode instance of "${directory}" (idle ${idleFor} s)`);
    } catch (error) {
      this.#disposeAsked.delete(directory);
      if (this.#endpoint !== endpoint) {
        this.#log(`OpenCode restarted while disposing "${directory}"; nothing to dispose now`);
        return;
      }
      this.#log(
        `Cannot dispose the OpenCode instance of "${directory}": ${
          (error as Error).message
        }; trying again once it has been idle ${Math.round(this.#limits.idleMs / 1000)} s more`,
      );
      // Counted as used now, so the next attempt waits instead of failing on every sweep.
      this.#usedNow(directory);
    }
  }

  /** A new server (restarted, or adopted) has none of the old one's instances. */
  #checkServer(): void {
    const endpoint = this.#options.source.endpoint();
    if (endpoint === this.#endpoint) return;
    const previous = this.#endpoint;
    this.#endpoint = endpoint;
    if (previous && previous.url === endpoint?.url && previous.startedAt === endpoint.startedAt) {
      return;
    }
    for (const directory of [...this.#live.keys()]) this.#forget(directory);
    this.terminals.forget();
    this.#disposeAsked.clear();
    if (!endpoint) return;
    // Adopted: the folders active since it started may have instances. A new server has none.
    const since = Math.max(Date.now() - RECENT_MS, endpoint.startedAt ?? Date.now());
    for (const directory of this.#options.recentDirectories?.(since) ?? []) {
      const normalized = normalizeDirectory(directory);
      if (normalized) this.#live.set(normalized, this.#now());
    }
  }

  /** A live directory's last use becomes now (it moves to the most recently used end). */
  #usedNow(directory: string): void {
    if (!this.#live.delete(directory)) return;
    this.#live.set(directory, this.#now());
  }

  #forget(directory: string): void {
    this.terminals.forget(directory);
    if (!this.#live.delete(directory)) return;
    this.#options.onForget?.(directory);
  }

  #log(line: string): void {
    (this.#options.log ?? console.log)(line);
  }
}
