/**
 * When the search index reads again what OpenCode's live events named: the sessions and messages
 * they mention (and the sessions they delete) are collected until the events settle, handed over
 * once, then handed over again a few times soon after, since an event can come before OpenCode
 * has committed what it announces and a quick re-read makes it searchable sooner than a late one.
 */

import type { HubEvent } from "../../common/hub_event.ts";

/** What events named since the last hand-over. */
export interface NamedChanges {
  messages: string[];
  sessions: string[];
  /** Sessions deleted; handed over the first time only. */
  removedSessions: string[];
}

export interface RereadScheduleOptions {
  /** How long after an event what it named is handed over. */
  settleMs: number;
  /** When the named changes are handed over again after the first time (default 250 ms, 1 s, 3 s). */
  rechecksMs?: number[];
  /** Whether the reader can take changes now; until then they are kept. */
  ready: () => boolean;
  /** Reads the changes again from `opencode.db`. */
  read: (changes: NamedChanges) => void;
}

/** Events whose session or message is read again. */
const SESSION_EVENTS = new Set(["session.updated", "session.created"]);
const MESSAGE_EVENTS = new Set([
  "message.updated",
  "message.removed",
  "message.part.updated",
  "message.part.removed",
  "message.part.delta",
]);

/**
 * Collects what events name and hands it to `read` on schedule.
 *
 * @example
 * ```ts
 * const schedule = new RereadSchedule({
 *   settleMs: 300,
 *   ready: () => true,
 *   read: ({ messages }) => console.log(messages),
 * });
 * hub.subscribe(({ event }) => schedule.note(event));
 * ```
 */
export class RereadSchedule {
  #options: Required<RereadScheduleOptions>;
  #messages = new Set<string>();
  #sessions = new Set<string>();
  #removedSessions = new Set<string>();
  #settleTimer: ReturnType<typeof setTimeout> | undefined;
  #rechecks = new Set<ReturnType<typeof setTimeout>>();

  constructor(options: RereadScheduleOptions) {
    this.#options = { rechecksMs: [250, 1_000, 3_000], ...options };
  }

  /** Notes what `event` names, if anything, and schedules the hand-over. */
  note(event: HubEvent): void {
    const { type, properties } = event.payload as {
      type: string;
      properties?: Record<string, unknown>;
    };
    const props = properties ?? {};
    const info = (props.info ?? {}) as Record<string, unknown>;
    const part = (props.part ?? {}) as Record<string, unknown>;
    if (type === "session.deleted") {
      if (typeof info.id === "string") this.#removedSessions.add(info.id);
    } else if (SESSION_EVENTS.has(type)) {
      if (typeof info.id === "string") this.#sessions.add(info.id);
    } else if (MESSAGE_EVENTS.has(type)) {
      const messageID = props.messageID ?? part.messageID ?? info.id;
      if (typeof messageID === "string") this.#messages.add(messageID);
    } else return;
    this.#settleTimer ??= setTimeout(() => {
      this.#settleTimer = undefined;
      this.#handOver();
    }, this.#options.settleMs);
  }

  /** Cancels every pending hand-over (what was collected is kept). */
  clear(): void {
    clearTimeout(this.#settleTimer);
    this.#settleTimer = undefined;
    this.#rechecks.forEach(clearTimeout);
    this.#rechecks.clear();
  }

  #handOver(): void {
    // Not ready (the first build has not opened both databases): its catch-up covers these.
    if (!this.#options.ready()) return;
    const changes = {
      messages: [...this.#messages],
      sessions: [...this.#sessions],
      removedSessions: [...this.#removedSessions],
    };
    this.#messages.clear();
    this.#sessions.clear();
    this.#removedSessions.clear();
    this.#options.read(changes);
    for (const delay of this.#options.rechecksMs) {
      const again = setTimeout(() => {
        this.#rechecks.delete(again);
        this.#options.read({ ...changes, removedSessions: [] });
      }, delay);
      this.#rechecks.add(again);
    }
  }
}
