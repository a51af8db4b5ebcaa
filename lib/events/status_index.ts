/**
 * What is live right now, kept on the server so pages show it on first paint: each session's
 * status (`busy`, `retry`, `error`; idle sessions are simply absent) and its pending permission and
 * question requests. Updated from the event stream; seeded on every (re)connect from OpenCode for
 * the directories with recent activity only, never by calling every project.
 */

import type { OpencodeEndpoint } from "../opencode/endpoint.ts";
import type { HubEvent } from "./hub.ts";

export type LiveStatus = "busy" | "retry" | "error";

/** A pending permission or question request, as OpenCode describes it. */
export interface PendingRequest {
  id: string;
  sessionID: string;
  [key: string]: unknown;
}

export interface LiveSession {
  status?: LiveStatus;
  directory: string;
  permissions: PendingRequest[];
  questions: PendingRequest[];
}

type Properties = Record<string, unknown>;

const str = (value: unknown) => (typeof value === "string" ? value : "");

/**
 * The live status of sessions, by id.
 *
 * @example
 * ```ts
 * const index = new StatusIndex();
 * upstream.onEvent = (event) => index.apply(event);
 * index.isBusy("ses_1");
 * ```
 */
export class StatusIndex {
  #sessions = new Map<string, LiveSession>();

  /** Applies one event from OpenCode. */
  apply(event: HubEvent): void {
    const properties = (event.payload.properties ?? {}) as Properties;
    switch (event.payload.type) {
      case "session.status": {
        const type = str((properties.status as Properties | undefined)?.type);
        this.#setStatus(
          str(properties.sessionID),
          event.directory,
          type === "idle" ? undefined : type as LiveStatus,
        );
        break;
      }
      case "session.idle":
        this.#setStatus(str(properties.sessionID), event.directory, undefined);
        break;
      case "session.error":
        if (str(properties.sessionID)) {
          this.#setStatus(str(properties.sessionID), event.directory, "error");
        }
        break;
      case "session.deleted":
        this.#sessions.delete(
          str(properties.sessionID) || str((properties.info as Properties | undefined)?.id),
        );
        break;
      case "permission.asked":
        this.#addRequest("permissions", event.directory, properties);
        break;
      case "permission.replied":
        this.#removeRequest("permissions", str(properties.sessionID), str(properties.requestID));
        break;
      case "question.asked":
        this.#addRequest("questions", event.directory, properties);
        break;
      case "question.replied":
      case "question.rejected":
        this.#removeRequest("questions", str(properties.sessionID), str(properties.requestID));
        break;
      case "server.instance.disposed":
        for (const [id, session] of this.#sessions) {
          if (session.directory === event.directory) this.#sessions.delete(id);
        }
        break;
    }
  }

  get(sessionId: string): LiveSession | undefined {
    return this.#sessions.get(sessionId);
  }

  /** Ids of the sessions that are working now (`busy` or `retry`). */
  busySessionIds(): Set<string> {
    const ids = new Set<string>();
    for (const [id, session] of this.#sessions) {
      if (session.status === "busy" || session.status === "retry") ids.add(id);
    }
    return ids;
  }

  snapshot(): Record<string, LiveSession> {
    return Object.fromEntries(this.#sessions);
  }

  /**
   * Replaces what is known about `directories` with what OpenCode says now: session statuses,
   * pending permissions and questions. Other directories keep their entries.
   */
  async seed(endpoint: OpencodeEndpoint, directories: string[], timeoutMs = 5_000): Promise<void> {
    const fetchJson = async (path: string, directory: string) => {
      const response = await fetch(
        `${endpoint.url}${path}?directory=${encodeURIComponent(directory)}`,
        {
          headers: { authorization: endpoint.authorization },
          signal: AbortSignal.timeout(timeoutMs),
        },
      );
      if (!response.ok) {
        await response.body?.cancel();
        throw new Error(`${path} answered ${response.status}`);
      }
      return await response.json();
    };
    await Promise.all(directories.map(async (directory) => {
      const [statuses, permissions, questions] = await Promise.all([
        fetchJson("/session/status", directory) as Promise<Record<string, { type: string }>>,
        fetchJson("/permission", directory) as Promise<Properties[]>,
        fetchJson("/question", directory) as Promise<Properties[]>,
      ]);
      for (const [id, session] of this.#sessions) {
        if (session.directory === directory) this.#sessions.delete(id);
      }
      for (const [sessionId, status] of Object.entries(statuses)) {
        if (status.type !== "idle") {
          this.#setStatus(sessionId, directory, status.type as LiveStatus);
        }
      }
      for (const request of permissions) this.#addRequest("permissions", directory, request);
      for (const request of questions) this.#addRequest("questions", directory, request);
    }));
  }

  #entry(sessionId: string, directory: string): LiveSession {
    let entry = this.#sessions.get(sessionId);
    if (!entry) {
      entry = { directory, permissions: [], questions: [] };
      this.#sessions.set(sessionId, entry);
    }
    return entry;
  }

  #setStatus(sessionId: string, directory: string, status: LiveStatus | undefined): void {
    if (!sessionId) return;
    if (status) this.#entry(sessionId, directory).status = status;
    else {
      const entry = this.#sessions.get(sessionId);
      if (!entry) return;
      entry.status = undefined;
      this.#dropIfEmpty(sessionId, entry);
    }
  }

  #addRequest(kind: "permissions" | "questions", directory: string, request: Properties): void {
    const sessionId = str(request.sessionID);
    const id = str(request.id);
    if (!sessionId || !id) return;
    const entry = this.#entry(sessionId, directory);
    entry[kind] = [...entry[kind].filter((known) => known.id !== id), request as PendingRequest];
  }

  #removeRequest(kind: "permissions" | "questions", sessionId: string, id: string): void {
    const entry = this.#sessions.get(sessionId);
    if (!entry) return;
    entry[kind] = entry[kind].filter((request) => request.id !== id);
    this.#dropIfEmpty(sessionId, entry);
  }

  #dropIfEmpty(sessionId: string, entry: LiveSession): void {
    if (!entry.status && entry.permissions.length === 0 && entry.questions.length === 0) {
      this.#sessions.delete(sessionId);
    }
  }
}
