/**
 * The instance keeper: which project directories have a live OpenCode instance inside the one
 * server (OpenCode boots one, about 12 MB and more with MCP servers, the first time a request names
 * `?directory=`, and keeps it until `POST /instance/dispose`), when each was last used, and what
 * pins it (a busy or retrying session, a pending permission or question, a tab showing it). It
 * disposes an unpinned instance idle longer than `idleMs`, and the least recently used unpinned
 * ones while more than `maxInstances` are live (a soft cap: pinned ones stay). OpenCode's
 * `server.instance.disposed` events and a new server clear its state; after adopting a running
 * server it counts the recently active folders as live, since OpenCode cannot list its instances.
 * It never talks to the browser: the proxy, server-side calls and the presence route report to it.
 */

import type { HubEvent } from "../events/hub.ts";
import type { LiveSession } from "../events/status_index.ts";
import { opencodeApi } from "./api.ts";
import type { OpencodeEndpoint } from "./endpoint.ts";
import { normalizeDirectory } from "./request_directory.ts";

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
  /** What each tab shows, and until when that report holds. */
  #tabs = new Map<string, { directories: string[]; until: number }>();
  #endpoint: OpencodeEndpoint | undefined;
  #unsubscribe: (() => void) | undefined;
  #timer: ReturnType<typeof setInterval> | undefined;
  #sweeping: Promise<void> | undefined;
  #sweepAgain = false;

  constructor(options: InstanceKeeperOptions) {
    this.#options = options;
  }

  get #idleMs() {
    return this.#options.idleMs ?? 600_000;
  }

  get #maxInstances() {
    return this.#options.maxInstances ?? 8;
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
    this.#live.set(normalized, Date.now());
    this.#inFlight.set(normalized, (this.#inFlight.get(normalized) ?? 0) + 1);
    if (this.#maxInstances > 0 && this.#live.size > this.#maxInstances) this.sweep();
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
    const shown = directories.map(normalizeDirectory).filter((directory) =>
      directory !== undefined
    );
    const before = this.#tabs.get(tab)?.directories ?? [];
    // A directory a tab stops showing counts as used then: its idle time starts now.
    for (const directory of before) if (!shown.includes(directory)) this.#usedNow(directory);
    if (shown.length === 0) this.#tabs.delete(tab);
    else {
      this.#tabs.set(tab, {
        directories: shown,
        until: Date.now() + (this.#options.presenceTtlMs ?? 90_000),
      });
    }
  }

  /**
   * Follows OpenCode's events: a disposed instance is forgotten (unless Palot disposed it and a
   * request has booted it again since: the event comes late); any other event naming a directory
   * proves its instance live.
   */
  observe(event: HubEvent): void {
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
    if (directory && !this.#live.has(directory)) this.#live.set(directory, Date.now());
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
    const now = Date.now();
    const pins = this.#pins();
    const unpinned = [...this.#live].filter(([directory]) => !pins.has(directory));
    const chosen = new Set<string>();
    if (this.#idleMs > 0) {
      for (const [directory, lastUsed] of unpinned) {
        if (now - lastUsed >= this.#idleMs) chosen.add(directory);
      }
    }
    const max = this.#maxInstances;
    const grace = this.#options.graceMs ?? 5_000;
    for (const [directory, lastUsed] of unpinned) {
      if (max <= 0 || this.#live.size - chosen.size <= max) break;
      if (now - lastUsed >= grace) chosen.add(directory);
    }
    return [...chosen];
  }

  /**
   * Pinned directories and why: `session` (busy, retrying or waiting), `tab` (shown) and
   * `request` (OpenCode has not answered one yet).
   */
  #pins(): Map<string, string[]> {
    const pins = new Map<string, string[]>();
    const pin = (directory: string | undefined, reason: string) => {
      if (!directory) return;
      const reasons = pins.get(directory) ?? [];
      if (!reasons.includes(reason)) pins.set(directory, [...reasons, reason]);
    };
    for (const session of Object.values(this.#options.liveSessions?.() ?? {})) {
      const working = session.status === "busy" || session.status === "retry";
      if (working || session.permissions.length > 0 || session.questions.length > 0) {
        pin(normalizeDirectory(session.directory), "session");
      }
    }
    for (const directory of this.#inFlight.keys()) pin(directory, "request");
    const now = Date.now();
    for (const [tab, { directories, until }] of this.#tabs) {
      if (until < now) this.show(tab, []);
      else for (const directory of directories) pin(directory, "tab");
    }
    return pins;
  }

  async #dispose(directory: string): Promise<void> {
    const endpoint = this.#endpoint;
    const lastUsed = this.#live.get(directory);
    // Pinned or used again since the sweep chose it: kept.
    if (!endpoint || lastUsed === undefined || !this.#disposable().includes(directory)) return;
    const idleFor = Math.round((Date.now() - lastUsed) / 1000);
    this.#disposeAsked.set(directory, Date.now());
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
        }; trying again once it has been idle ${Math.round(this.#idleMs / 1000)} s more`,
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
    this.#disposeAsked.clear();
    if (!endpoint) return;
    // Adopted: the folders active since it started may have instances. A new server has none.
    const since = Math.max(Date.now() - RECENT_MS, endpoint.startedAt ?? Date.now());
    for (const directory of this.#options.recentDirectories?.(since) ?? []) {
      const normalized = normalizeDirectory(directory);
      if (normalized) this.#live.set(normalized, Date.now());
    }
  }

  /** A live directory's last use becomes now (it moves to the most recently used end). */
  #usedNow(directory: string): void {
    if (!this.#live.delete(directory)) return;
    this.#live.set(directory, Date.now());
  }

  #forget(directory: string): void {
    if (!this.#live.delete(directory)) return;
    this.#options.onForget?.(directory);
  }

  #log(line: string): void {
    (this.#options.log ?? console.log)(line);
  }
}
