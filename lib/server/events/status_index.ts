/**
 * What is live right now, kept on the server so pages show it on first paint: each session's
 * status (`busy`, `retry`, `error`; idle sessions are simply absent), what a working one does now,
 * and its pending permission and question requests. Updated from the event stream; seeded on every (re)connect from OpenCode for
 * the directories with recent activity only, never by calling every project.
 */

import type { PermissionRequest, QuestionRequest } from "@opencode-ai/sdk/v2/client";
import { opencodeApi } from "../opencode/opencode_api.ts";
import type { OpencodeEndpoint } from "../opencode/endpoint.ts";
import type { HubEvent } from "../../common/hub_event.ts";
import { sessionStatus, type SessionStatusName } from "../../common/session_status.ts";
import { asString as str } from "../../common/values.ts";
import { doingNow, type DoingPart } from "../../common/activity.ts";

const isWorking = (status?: LiveStatus) => status === "busy" || status === "retry";
/** The parts that say what a session does (as in the browser's store). */
const DOING_PARTS = new Set(["tool", "text", "reasoning"]);

/** A status worth keeping: an idle session is simply absent. */
export type LiveStatus = Exclude<SessionStatusName, "idle">;

export interface LiveSession {
  status?: LiveStatus;
  directory: string;
  permissions: PermissionRequest[];
  questions: QuestionRequest[];
  /**
   * While it works, what it does now in words, from its latest part (`doingNow`, the rule the
   * browser's store follows live), so a page opened mid-turn says it on first paint.
   */
  doing?: string;
}

type Properties = Record<string, unknown>;

/** `requests` without the one whose id is `id`. */
const without = <T extends { id: string }>(requests: T[], id: string): T[] =>
  requests.filter((request) => request.id !== id);
/** The parts of a session's live state that events and seeds update independently. */
type Part = "status" | "permissions" | "questions";

/**
 * The live status of sessions, by id.
 *
 * @example
 * ```ts
 * const index = new StatusIndex();
 * await index.seed(endpoint, ["/home/me/app"]);
 * const upstream = new UpstreamEvents({ source, onEvent: (event) => index.apply(event) });
 * index.busySessionIds().has("ses_1");
 * ```
 */
export class StatusIndex {
  #sessions = new Map<string, LiveSession>();
  /** Counts applied events, so a seed can tell which sessions changed while it waited. */
  #clock = 0;
  /** While a seed runs: the clock at each `<part> <sessionID>` changed by an event. */
  #changed = new Map<string, number>();
  #seeding = 0;

  /**
   * Applies one event from OpenCode.
   *
   * @example
   * ```ts
   * index.apply({ directory: "/p", payload: { type: "session.idle", properties: { sessionID: "ses_1" } } });
   * ```
   */
  apply(event: HubEvent): void {
    const properties = (event.payload.properties ?? {}) as Properties;
    this.#clock++;
    if (this.#seeding > 0) this.#noteChange(event.payload.type, properties);
    switch (event.payload.type) {
      case "session.status":
      case "session.idle":
      case "session.error": {
        const sessionId = str(properties.sessionID);
        const current = this.#sessions.get(sessionId)?.status ?? "idle";
        const { status } = sessionStatus({ status: current }, event.payload.type, properties);
        this.#setStatus(sessionId, event.directory, status === "idle" ? undefined : status);
        // What it was doing ends with the turn.
        const entry = this.#sessions.get(sessionId);
        if (entry && !isWorking(entry.status)) entry.doing = undefined;
        break;
      }
      case "message.part.updated": {
        const part = properties.part as DoingPart & { sessionID?: string } | undefined;
        const entry = this.#sessions.get(str(part?.sessionID));
        if (part && entry && isWorking(entry.status) && DOING_PARTS.has(part.type)) {
          entry.doing = doingNow([part], { directory: event.directory });
        }
        break;
      }
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
      case "server.instance.disposed": {
        const directory = str(properties.directory) || event.directory;
        for (const [id, session] of this.#sessions) {
          if (session.directory === directory) this.#sessions.delete(id);
        }
        break;
      }
    }
  }

  /**
   * What is live about one session, or `undefined` when it is idle with nothing pending.
   *
   * @example
   * ```ts
   * const waiting = (index.get("ses_1")?.permissions.length ?? 0) > 0;
   * ```
   */
  get(sessionId: string): LiveSession | undefined {
    return this.#sessions.get(sessionId);
  }

  /**
   * Ids of the sessions that are working now (`busy` or `retry`).
   *
   * @example
   * ```ts
   * const busy = index.busySessionIds().has("ses_1");
   * ```
   */
  busySessionIds(): Set<string> {
    const ids = new Set<string>();
    for (const [id, session] of this.#sessions) {
      if (isWorking(session.status)) ids.add(id);
    }
    return ids;
  }

  /**
   * Ids of the sessions working now in `directory` (a worktree's Merge and Delete wait for them).
   *
   * @example
   * ```ts
   * if (index.workingIn("/data/opencode/worktree/p/kiwi").length) refuse();
   * ```
   */
  workingIn(directory: string): string[] {
    return [...this.#sessions].filter(([, session]) =>
      session.directory === directory && isWorking(session.status)
    ).map(([id]) => id);
  }

  /**
   * Every session with something live, by id (idle sessions with nothing pending are absent).
   *
   * @example
   * ```ts
   * for (const [id, { status, directory }] of Object.entries(index.snapshot())) console.log(id, status, directory);
   * ```
   */
  snapshot(): Record<string, LiveSession> {
    return Object.fromEntries(this.#sessions);
  }

  /** Directories that have a session in the index now. */
  directories(): string[] {
    return [...new Set([...this.#sessions.values()].map((session) => session.directory))];
  }

  /**
   * Replaces what is known about `directories` with what OpenCode says now: session statuses,
   * pending permissions and questions. Other directories keep their entries, and so does a session
   * whose own event arrived while its directory was being read (the event is newer). A few
   * directories are read at a time; every request has a timeout, and `signal` ends the whole
   * seed early (directories not read yet keep their entries). Rejects, after trying them all,
   * when some directories could not be read.
   *
   * @example
   * ```ts
   * await index.seed(supervisor.endpoint()!, discovery.recentDirectories(Date.now() - 86_400_000));
   * ```
   */
  async seed(
    endpoint: OpencodeEndpoint,
    directories: string[],
    { timeoutMs = 5_000, concurrency = 4, signal }: {
      timeoutMs?: number;
      concurrency?: number;
      signal?: AbortSignal;
    } = {},
  ): Promise<void> {
    // The server the seed started with, even if another takes its place meanwhile.
    const source = { endpoint: () => endpoint };
    const read = <T>(path: string, directory: string) =>
      opencodeApi<T>(source, path, { directory, timeoutMs, signal });
    const seedOne = async (directory: string) => {
      const startedAt = this.#clock;
      const [statuses, permissions, questions] = await Promise.all([
        read<Record<string, { type: string }>>("/session/status", directory),
        read<Properties[]>("/permission", directory),
        read<Properties[]>("/question", directory),
      ]);
      // What OpenCode said replaces what is known, except what an event changed meanwhile.
      const replace = (part: Part, sessionId: string) =>
        (this.#changed.get(`${part} ${sessionId}`) ?? 0) <= startedAt;
      for (const [id, session] of this.#sessions) {
        if (session.directory !== directory) continue;
        if (replace("status", id)) session.status = undefined;
        if (replace("permissions", id)) session.permissions = [];
        if (replace("questions", id)) session.questions = [];
        this.#dropIfEmpty(id, session);
      }
      for (const [sessionId, status] of Object.entries(statuses)) {
        if (status.type !== "idle" && replace("status", sessionId)) {
          this.#setStatus(sessionId, directory, status.type as LiveStatus);
        }
      }
      for (const request of permissions) {
        if (replace("permissions", str(request.sessionID))) {
          this.#addRequest("permissions", directory, request);
        }
      }
      for (const request of questions) {
        if (replace("questions", str(request.sessionID))) {
          this.#addRequest("questions", directory, request);
        }
      }
    };
    const queue = [...new Set(directories)];
    const failures: string[] = [];
    this.#seeding++;
    try {
      await Promise.all(
        Array.from({ length: Math.min(concurrency, queue.length) }, async () => {
          for (let directory; !signal?.aborted && (directory = queue.shift()) !== undefined;) {
            try {
              await seedOne(directory);
            } catch (error) {
              failures.push(`${directory}: ${(error as Error).message}`);
            }
          }
        }),
      );
    } finally {
      if (--this.#seeding === 0) this.#changed.clear();
    }
    if (failures.length && !signal?.aborted) {
      throw new Error(
        `Cannot read ${failures.length} of ${directories.length} directories (${failures[0]})`,
      );
    }
  }

  /** Remembers which part of which session an event changed, for a seed in progress. */
  #noteChange(type: string, properties: Properties): void {
    const sessionId = str(properties.sessionID) ||
      str((properties.info as Properties | undefined)?.id);
    if (!sessionId) return;
    const parts: Part[] = type === "session.deleted"
      ? ["status", "permissions", "questions"]
      : type.startsWith("permission.")
      ? ["permissions"]
      : type.startsWith("question.")
      ? ["questions"]
      : type === "session.status" || type === "session.idle" || type === "session.error"
      ? ["status"]
      : [];
    for (const part of parts) this.#changed.set(`${part} ${sessionId}`, this.#clock);
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
    if (kind === "permissions") {
      entry.permissions = [...without(entry.permissions, id), request as PermissionRequest];
    } else entry.questions = [...without(entry.questions, id), request as QuestionRequest];
  }

  #removeRequest(kind: "permissions" | "questions", sessionId: string, id: string): void {
    const entry = this.#sessions.get(sessionId);
    if (!entry) return;
    if (kind === "permissions") entry.permissions = without(entry.permissions, id);
    else entry.questions = without(entry.questions, id);
    this.#dropIfEmpty(sessionId, entry);
  }

  #dropIfEmpty(sessionId: string, entry: LiveSession): void {
    if (!entry.status && entry.permissions.length === 0 && entry.questions.length === 0) {
      this.#sessions.delete(sessionId);
    }
  }
}
