/**
 * Discovery: OpenCode's projects, sessions and messages read straight from its storage, without
 * (and before) any OpenCode server. {@linkcode openDiscovery} picks the format present in the data
 * dir and switches when it appears later (opencode creates `opencode.db` on its first start).
 */

import { join } from "node:path";
import { exists } from "../exists.ts";
import { LegacyStore } from "./legacy_store.ts";
import { SqliteStore } from "./sqlite_store.ts";
import type { DiscoveryStore, ListSessionsOptions } from "../../common/discovery_types.ts";

export { LegacyStore } from "./legacy_store.ts";
export { SqliteStore } from "./sqlite_store.ts";
export * from "../../common/discovery_types.ts";

/** Which format the data dir holds now: two `stat` calls. */
function detectKind(dataDir: string): DiscoveryStore["kind"] {
  if (exists(join(dataDir, "opencode.db"))) return "sqlite";
  if (exists(join(dataDir, "storage"))) return "legacy";
  return "missing";
}

function openStore(dataDir: string, kind: DiscoveryStore["kind"]): DiscoveryStore {
  if (kind === "sqlite") return new SqliteStore(dataDir);
  if (kind === "legacy") return new LegacyStore(dataDir);
  return new MissingStore(dataDir);
}

/** No OpenCode data at all: empty lists, and the folder that was looked at. */
class MissingStore implements DiscoveryStore {
  readonly kind = "missing" as const;
  constructor(readonly dataDir: string) {}
  listProjects() {
    return [];
  }
  getProject() {
    return undefined;
  }
  listSessions() {
    return { sessions: [], hasMore: false };
  }
  getSession() {
    return undefined;
  }
  listChildren() {
    return [];
  }
  listMessages() {
    return [];
  }
  countMessagesFrom() {
    return 0;
  }
  recentSessions() {
    return [];
  }
  listPrompts() {
    return [];
  }
  recentDirectories() {
    return [];
  }
  close() {}
}

/**
 * Delegates to the right store, looking again on every call while there is no `opencode.db` yet
 * (opencode creates it within a second of its first start, and the page opened then must see it).
 */
class AutoStore implements DiscoveryStore {
  #store: DiscoveryStore;
  readonly dataDir: string;

  constructor(dataDir: string) {
    this.dataDir = dataDir;
    this.#store = openStore(dataDir, detectKind(dataDir));
  }

  get kind() {
    return this.#current().kind;
  }

  #current(): DiscoveryStore {
    if (this.#store.kind === "sqlite") return this.#store;
    const kind = detectKind(this.dataDir);
    if (kind !== this.#store.kind) {
      this.#store.close();
      this.#store = openStore(this.dataDir, kind);
    }
    return this.#store;
  }

  listProjects() {
    return this.#current().listProjects();
  }
  getProject(projectId: string) {
    return this.#current().getProject(projectId);
  }
  listSessions(projectId: string, options?: ListSessionsOptions) {
    return this.#current().listSessions(projectId, options);
  }
  getSession(sessionId: string) {
    return this.#current().getSession(sessionId);
  }
  listChildren(sessionId: string) {
    return this.#current().listChildren(sessionId);
  }
  listMessages(sessionId: string, options?: { limit?: number }) {
    return this.#current().listMessages(sessionId, options);
  }
  countMessagesFrom(sessionId: string, messageId: string) {
    return this.#current().countMessagesFrom(sessionId, messageId);
  }
  recentSessions(limit: number) {
    return this.#current().recentSessions(limit);
  }
  listPrompts(projectId: string, options?: { limit?: number }) {
    return this.#current().listPrompts(projectId, options);
  }
  recentDirectories(sinceMs: number) {
    return this.#current().recentDirectories(sinceMs);
  }
  close() {
    this.#store.close();
  }
}

/**
 * Opens OpenCode's storage in `dataDir`, read-only, whichever format it holds.
 *
 * @example
 * ```ts
 * const discovery = openDiscovery(config.dataDir);
 * for (const project of discovery.listProjects()) console.log(project.name);
 * ```
 */
export function openDiscovery(dataDir: string): DiscoveryStore {
  return new AutoStore(dataDir);
}
