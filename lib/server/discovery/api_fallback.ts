/**
 * Discovery through OpenCode's API, for when its storage cannot be read: an `opencode.db` that
 * does not open, or whose layout Palot does not know (OpenCode's next major version moves sessions
 * to new tables). The storage reader stays first for whatever it can read; on the first read that
 * fails for a reason other than a writer's lock, Palot says once (in its log, and on the home page
 * through {@linkcode DiscoveryStore.apiFallback}) that it lists projects through the API, and
 * answers from a catalog of OpenCode's own `GET /project` and `GET /experimental/session` (paged
 * to the end), kept current from the same events as every page. Messages, prompts and counts the
 * API has no cheap answer for are read by the pages' islands instead.
 */

import type {
  DiscoveryStore,
  ListSessionsOptions,
  Project,
  SessionSummary,
} from "../../common/discovery_types.ts";
import type { HubEvent } from "../../common/hub_event.ts";
import type { EndpointSource } from "../opencode/endpoint.ts";
import { errorText } from "../error_text.ts";
import { RemoteCatalog } from "../remote/remote_catalog.ts";

/** A writer holding the database: wait, do not switch readers. */
const BUSY = /SQLITE_BUSY|database is locked/i;

export interface ApiFallbackOptions {
  /** The storage reader (opening it may throw: an unreadable file). */
  open: () => DiscoveryStore;
  dataDir: string;
  /** The local OpenCode server. */
  source: EndpointSource;
  log?: (line: string) => void;
}

export class ApiFallbackDiscovery implements DiscoveryStore {
  readonly dataDir: string;
  #store: DiscoveryStore | undefined;
  #options: ApiFallbackOptions;
  #catalog = new RemoteCatalog();
  #loading: Promise<void> | undefined;
  #again = false;
  /** Why the storage is not read, once it is not. */
  apiFallback: string | undefined;

  constructor(options: ApiFallbackOptions) {
    this.#options = options;
    this.dataDir = options.dataDir;
    try {
      this.#store = options.open();
    } catch (error) {
      this.#fallBack(error);
    }
  }

  get kind(): DiscoveryStore["kind"] {
    return this.#store?.kind ?? "sqlite";
  }

  /** Applies one of the local server's events to the catalog (while it is in use). */
  observe(event: HubEvent): void {
    if (this.apiFallback && event.server === undefined) this.#catalog.apply(event);
  }

  /** Reads the catalog again (the server (re)connected); nothing while the storage is read. */
  reload(): Promise<void> {
    if (!this.apiFallback) return Promise.resolve();
    // Asked again mid-read (the server reconnected): read once more after, what it read may be old.
    if (this.#loading) {
      this.#again = true;
      return this.#loading;
    }
    this.#loading = this.#catalog.load(async (path) => {
      const endpoint = this.#options.source.endpoint();
      if (!endpoint) throw new Error("OpenCode is not ready yet");
      const response = await fetch(endpoint.url + path, {
        headers: { authorization: endpoint.authorization },
        signal: AbortSignal.timeout(30_000),
      });
      if (!response.ok) throw new Error(`OpenCode answered ${response.status}`);
      return { body: await response.json(), headers: response.headers };
    }).catch((error) =>
      this.#options.log?.(`Cannot list projects through OpenCode's API: ${errorText(error)}`)
    )
      .finally(() => {
        this.#loading = undefined;
        if (this.#again) {
          this.#again = false;
          this.reload();
        }
      });
    return this.#loading;
  }

  /** Runs `read` on the storage; on a failure that is not a lock, switches to the API for good. */
  #read<T>(read: (store: DiscoveryStore) => T, fallback: () => T): T {
    if (this.#store && !this.apiFallback) {
      try {
        return read(this.#store);
      } catch (error) {
        if (BUSY.test(String(error))) throw error;
        this.#fallBack(error);
      }
    }
    if (!this.#catalog.loaded) this.reload();
    return fallback();
  }

  #fallBack(error: unknown): void {
    if (this.apiFallback) return;
    this.apiFallback = `Palot cannot read OpenCode's storage in ${this.dataDir} (${
      errorText(error)
    }), so it lists projects and sessions through OpenCode's API.`;
    this.#options.log?.(this.apiFallback);
    this.reload();
  }

  listProjects(): Project[] {
    return this.#read((store) => store.listProjects(), () => this.#catalog.listProjects());
  }
  getProject(projectId: string): Project | undefined {
    return this.#read(
      (store) => store.getProject(projectId),
      () => this.#catalog.getProject(projectId),
    );
  }
  listSessions(projectId: string, options: ListSessionsOptions = {}) {
    return this.#read((store) => store.listSessions(projectId, options), () => {
      const { limit = 50, offset = 0 } = options;
      const all = this.#catalog.listSessions(projectId);
      return { sessions: all.slice(offset, offset + limit), hasMore: all.length > offset + limit };
    });
  }
  getSession(sessionId: string): SessionSummary | undefined {
    return this.#read(
      (store) => store.getSession(sessionId),
      () => this.#catalog.getSession(sessionId),
    );
  }
  listChildren(sessionId: string): SessionSummary[] {
    return this.#read(
      (store) => store.listChildren(sessionId),
      () => this.#catalog.listChildren(sessionId),
    );
  }
  listMessages(sessionId: string, options?: { limit?: number }) {
    return this.#read((store) => store.listMessages(sessionId, options), () => []);
  }
  countMessagesFrom(sessionId: string, messageId: string): number {
    return this.#read((store) => store.countMessagesFrom(sessionId, messageId), () => 0);
  }
  recentSessions(limit: number): SessionSummary[] {
    return this.#read(
      (store) => store.recentSessions(limit),
      () =>
        this.#catalog.listProjects().flatMap((project) => this.#catalog.listSessions(project.id))
          .sort((a, b) => b.updated - a.updated).slice(0, limit),
    );
  }
  listPrompts(projectId: string, options?: { limit?: number }): string[] {
    return this.#read((store) => store.listPrompts(projectId, options), () => []);
  }
  recentDirectories(sinceMs: number): string[] {
    return this.#read((store) => store.recentDirectories(sinceMs), () => []);
  }
  close(): void {
    this.#store?.close();
  }
}
