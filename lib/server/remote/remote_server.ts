/**
 * Palot's one connection to one remote OpenCode server: its endpoint (address and password, which
 * stay here), its event stream (the same reader as the local server's: a silence watchdog as the
 * health check, reconnect with backoff, a timeout on connect), its status for pages (`Online`,
 * `Connecting`, `Offline` with the reason and when it was last seen), and its catalog of projects
 * and sessions, read again on every (re)connect and kept current from its events. Every event is
 * handed on tagged with the server's id. Nothing here ever blocks a page: pages read what is cached.
 */

import type { HubEvent } from "../../common/hub_event.ts";
import type { MachineState } from "../../common/machine_status.ts";
import type { SessionSummary } from "../../common/discovery_types.ts";
import { basicAuthorization, type OpencodeEndpoint } from "../opencode/endpoint.ts";
import { UpstreamEvents } from "../events/upstream.ts";
import { OpencodeApiError } from "../opencode/opencode_api.ts";
import { RemoteCatalog } from "./remote_catalog.ts";
import { ToolbarCache } from "../toolbar/toolbar_cache.ts";
import { StatusIndex } from "../events/status_index.ts";

/** What a page shows of a server's connection (why offline; when last seen, ms since the epoch). */
export type ServerStatus = MachineState;

export interface RemoteServerOptions {
  id: string;
  name: string;
  /** Where to reach it (for an SSH host, the forwarded local port, once there is one). */
  endpoint: () => OpencodeEndpoint | undefined;
  /** Each of its events, tagged with `server`, and Palot's `palot.server` status changes. */
  onEvent?: (event: HubEvent) => void;
  /** Why it cannot be reached, when something below the HTTP connection knows (an SSH host). */
  offlineReason?: () => string | undefined;
  /** Longest wait for any call to it (default 10 s). */
  timeoutMs?: number;
  backoffMaxMs?: number;
  log?: (line: string) => void;
}

/** Events only the connection needs. */
const UPSTREAM_ONLY = new Set(["server.heartbeat", "sync"]);

export class RemoteServer {
  readonly id: string;
  name: string;
  readonly catalog = new RemoteCatalog();
  /** Its projects' toolbar options (agents, models, branch), for its chat pages. */
  readonly toolbars: ToolbarCache;
  /** Its sessions' live status and pending requests, from its events. */
  readonly index = new StatusIndex();
  #status: ServerStatus = { state: "connecting" };
  #options: RemoteServerOptions;
  #upstream: UpstreamEvents;
  #lastError: string | undefined;
  #loading: Promise<void> | undefined;
  #stopped = new AbortController();

  constructor(options: RemoteServerOptions) {
    this.id = options.id;
    this.name = options.name;
    this.#options = options;
    this.toolbars = new ToolbarCache({ source: this, remote: true, log: options.log });
    this.#upstream = new UpstreamEvents({
      source: { endpoint: () => options.endpoint() },
      connectTimeoutMs: options.timeoutMs ?? 10_000,
      backoffMaxMs: options.backoffMaxMs ?? 5_000,
      log: (line) => {
        this.#lastError = line.replace(/^Event stream failed: /, "");
        options.log?.(line);
      },
      onEvent: (event) => {
        this.#status.lastSeen = Date.now();
        if (UPSTREAM_ONLY.has(event.payload.type)) return;
        this.catalog.apply(event);
        this.index.apply(event);
        options.onEvent?.({ ...event, server: this.id });
      },
      onConnection: (connected) => {
        if (connected) {
          this.#lastError = undefined;
          this.#loading = this.#load();
        } else {
          this.#setStatus({
            state: "offline",
            reason: this.#reason(),
            lastSeen: this.#status.lastSeen,
            version: this.#status.version,
          });
        }
      },
    });
  }

  /** Its address and credentials (server side only). */
  endpoint(): OpencodeEndpoint | undefined {
    return this.#options.endpoint();
  }

  get status(): ServerStatus {
    // Never connected yet and failing: say so rather than "connecting" forever.
    if (this.#status.state !== "online" && this.#lastError) {
      return { ...this.#status, state: "offline", reason: this.#reason() };
    }
    return { ...this.#status };
  }

  start(): void {
    this.#upstream.start();
  }

  async stop(): Promise<void> {
    this.#stopped.abort();
    await this.#upstream.stop();
    await this.#loading?.catch(() => {});
  }

  /**
   * Calls the server at `path` (JSON), with its password and a timeout; throws with a message for
   * the user when it does not answer, an {@linkcode OpencodeApiError} (with the status) when it
   * answers an error.
   */
  async api<T = unknown>(
    path: string,
    { method = "GET", body, timeoutMs, signal }: {
      method?: string;
      body?: unknown;
      timeoutMs?: number;
      /** Gives up the call early. */
      signal?: AbortSignal;
    } = {},
  ): Promise<{ body: T; headers: Headers }> {
    const endpoint = this.endpoint();
    if (!endpoint) throw new Error(`${this.name} is not reachable yet`);
    const response = await fetch(endpoint.url + path, {
      method,
      headers: {
        authorization: endpoint.authorization,
        ...body === undefined ? {} : { "content-type": "application/json" },
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.any([
        this.#stopped.signal,
        AbortSignal.timeout(timeoutMs ?? this.#options.timeoutMs ?? 10_000),
        ...signal ? [signal] : [],
      ]),
    });
    const text = await response.text();
    if (!response.ok) {
      throw new OpencodeApiError(
        `${this.name} answered ${response.status}: ${text.slice(0, 200)}`,
        response.status,
      );
    }
    this.#status.lastSeen = Date.now();
    return { body: (text ? JSON.parse(text) : undefined) as T, headers: response.headers };
  }

  /**
   * Reads the project of `directory` again and keeps it (after Palot changed its worktrees: the
   * server's events need not say so), so the next page sees its worktrees.
   */
  async refreshProject(directory: string): Promise<void> {
    // The list, not `/project/current`: that one answers the instance's copy, without new worktrees.
    const { body } = await this.api<{ worktree?: unknown }[]>("/project");
    const project = body.find((each) => each.worktree === directory);
    if (project) {
      this.catalog.apply({ directory, payload: { type: "project.updated", properties: project } });
    }
  }

  /**
   * The session `id`: the cached one, else (one just created, before its event arrived) asked of
   * the server and kept; `undefined` when it has none or does not answer.
   */
  async session(id: string): Promise<SessionSummary | undefined> {
    const known = this.catalog.getSession(id);
    if (known || this.#status.state !== "online") return known;
    try {
      const { body } = await this.api(`/session/${encodeURIComponent(id)}`, { timeoutMs: 3_000 });
      const directory = (body as { directory?: unknown } | undefined)?.directory;
      if (typeof directory !== "string") return undefined;
      this.catalog.apply({
        directory,
        payload: { type: "session.updated", properties: { info: body } },
      });
    } catch {
      return undefined;
    }
    return this.catalog.getSession(id);
  }

  async #load(): Promise<void> {
    try {
      const health = await this.api<{ version?: string }>("/global/health");
      await this.catalog.load((path) => this.api(path, { timeoutMs: 30_000 }));
      this.#setStatus({ state: "online", lastSeen: Date.now(), version: health.body.version });
    } catch (error) {
      if (this.#stopped.signal.aborted) return;
      this.#options.log?.(`Cannot read its projects: ${(error as Error).message}`);
      this.#setStatus({
        state: "offline",
        reason: `Cannot read its projects: ${(error as Error).message}`,
        lastSeen: this.#status.lastSeen,
      });
    }
  }

  #reason(): string {
    const below = this.#options.offlineReason?.();
    if (below && !this.endpoint()) return below;
    const error = this.#lastError ?? "the connection was lost";
    if (/refused/i.test(error)) return "Connection refused";
    if (/did not answer/i.test(error)) return "No answer in time";
    if (/401|403/.test(error)) return "Wrong password";
    return error;
  }

  #setStatus(status: ServerStatus): void {
    const changed = status.state !== this.#status.state || status.reason !== this.#status.reason;
    this.#status = status;
    if (changed) {
      this.#options.onEvent?.({
        directory: "",
        server: this.id,
        payload: { type: "palot.server", properties: { server: this.id, ...status } },
      });
    }
  }
}

/** An endpoint for an address and password. */
export function httpEndpoint(address: string, password: string): OpencodeEndpoint {
  return { url: address, authorization: basicAuthorization(password) };
}
