/**
 * The live layer on the server, assembled: the one upstream subscription feeds the status index
 * and, with streamed text joined a few milliseconds at a time, the hub; connection changes become
 * Palot's own `palot.connection` events, and every (re)connect seeds the index for recently
 * active directories and then tells tabs to resync, since events during an outage are lost.
 */

import { DeltaCoalescer } from "./delta_coalescer.ts";
import { EventHub } from "./hub.ts";
import { StreamingParts } from "./streaming_parts.ts";
import type { HubEvent } from "../../common/hub_event.ts";
import { StatusIndex } from "./status_index.ts";
import { UpstreamEvents, type UpstreamSource } from "./upstream.ts";

export interface LiveEventsOptions {
  source: UpstreamSource;
  /** Directories with sessions updated since a time (from discovery), to seed statuses. */
  recentDirectories?: (sinceMs: number) => string[];
  /** Events kept for tabs that reconnect (default 5,000). */
  capacity?: number;
  /** Upstream silence that counts as a dead stream (default 30 s). */
  silenceMs?: number;
  log?: (line: string) => void;
}

/** Event types tabs do not need: OpenCode's keep-alives and its sync-protocol copies. */
const UPSTREAM_ONLY = new Set(["server.heartbeat", "sync"]);

/** How far back "recent activity" reaches when seeding statuses. */
const RECENT_MS = 24 * 3600_000;

/**
 * Palot's own event, in the same `{directory, payload}` shape as OpenCode's.
 *
 * @example
 * ```ts
 * hub.publish(palotEvent("palot.connection", { connected: true }));
 * ```
 */
export function palotEvent(type: string, properties: Record<string, unknown> = {}): HubEvent {
  return { directory: "", payload: { type, properties } };
}

/**
 * The server-side live layer.
 *
 * @example
 * ```ts
 * const live = new LiveEvents({ source: supervisor, recentDirectories: (since) => discovery.recentDirectories(since) });
 * live.start();
 * live.index.busySessionIds();
 * await live.stop();
 * ```
 */
export class LiveEvents {
  readonly hub: EventHub;
  readonly index = new StatusIndex();
  /** Parts still streaming, as the tabs have seen them: pages render them as of their event id. */
  readonly streaming = new StreamingParts();
  readonly upstream: UpstreamEvents;
  #options: LiveEventsOptions;
  #seeding: Promise<void> | undefined;
  #stopping = new AbortController();
  #deltas: DeltaCoalescer;

  constructor(options: LiveEventsOptions) {
    this.#options = options;
    this.hub = new EventHub({ capacity: options.capacity, log: options.log });
    this.#deltas = new DeltaCoalescer((event) => this.hub.publish(event));
    this.hub.subscribe(({ event }) => this.streaming.apply(event));
    this.upstream = new UpstreamEvents({
      source: options.source,
      silenceMs: options.silenceMs,
      log: options.log,
      onEvent: (event) => {
        if (UPSTREAM_ONLY.has(event.payload.type)) return;
        this.index.apply(event);
        this.#deltas.push(event);
      },
      onConnection: (connected) => {
        this.#deltas.push(palotEvent("palot.connection", { connected }));
        if (connected) {
          const previous = this.#seeding;
          this.#seeding = this.#seed().then(() => previous);
        }
      },
    });
  }

  /** Whether OpenCode's event stream is open now. */
  get connected(): boolean {
    return this.upstream.connected;
  }

  /** Starts the upstream subscription in the background. */
  start(): void {
    this.upstream.start();
  }

  /** Stops the upstream subscription and ends every tab's stream. */
  async stop(): Promise<void> {
    this.#stopping.abort();
    await this.upstream.stop();
    await this.#seeding;
    this.#deltas.flush();
    this.hub.close();
  }

  async #seed(): Promise<void> {
    const endpoint = this.#options.source.endpoint();
    if (endpoint) {
      try {
        // Folders active recently and since this server started (a session last active before
        // then cannot be running in it), and those the index already lists (so none keeps a
        // stale entry). Each folder read makes OpenCode load that project, so no more than that.
        const since = Math.max(Date.now() - RECENT_MS, endpoint.startedAt ?? 0);
        const directories = new Set([
          ...(this.#options.recentDirectories?.(since) ?? []),
          ...this.index.directories(),
        ]);
        await this.index.seed(endpoint, [...directories], { signal: this.#stopping.signal });
      } catch (error) {
        this.#options.log?.(`Cannot seed session statuses: ${(error as Error).message}`);
      }
    }
    this.#deltas.push(palotEvent("palot.resync"));
  }
}
