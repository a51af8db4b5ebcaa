/**
 * The text of parts still streaming, as the tabs have seen it. OpenCode stores a text or reasoning
 * part when it starts and when it ends; in between its text grows only in `message.part.delta`
 * events, so a page rendered from `opencode.db` mid-reply would miss what had streamed so far, and
 * the events after the page's id would only add the rest. This follows the hub's events in order
 * (a part's last `message.part.updated`, then its deltas) so that a page rendered now shows each
 * streaming part as of the page's event id: no gap, no double. A part leaves when it is stored
 * whole (its `time.end`), removed, or its session goes idle; at most `limit` parts are kept.
 */

import type { Part } from "@opencode-ai/sdk/v2/client";
import type { HubEvent } from "../../common/hub_event.ts";
import type { MessageWithParts } from "../../common/message.ts";

/**
 * Streaming parts by id.
 *
 * @example
 * ```ts
 * const streaming = new StreamingParts();
 * hub.subscribe(({ event }) => streaming.apply(event));
 * const messages = streaming.overlay(sessionID, discovery.listMessages(sessionID));
 * ```
 */
export class StreamingParts {
  /** Each streaming part as last stored, and the deltas since, by field (joined when read). */
  #parts = new Map<string, { part: Part; deltas: Map<string, string[]> }>();
  #limit: number;

  constructor({ limit = 500 }: { limit?: number } = {}) {
    this.#limit = limit;
  }

  /** Follows one event, in the order the hub publishes them. */
  apply(event: HubEvent): void {
    const { type, properties = {} } = event.payload as {
      type: string;
      properties?: Record<string, unknown>;
    };
    if (type === "message.part.updated") {
      const part = properties.part as Part | undefined;
      if (!part?.id) return;
      const growing = (part.type === "text" || part.type === "reasoning") && !part.time?.end;
      this.#parts.delete(part.id);
      if (!growing) return;
      this.#parts.set(part.id, { part, deltas: new Map() });
      for (const oldest of this.#parts.keys()) {
        if (this.#parts.size <= this.#limit) break;
        this.#parts.delete(oldest);
      }
    } else if (type === "message.part.delta") {
      const streaming = this.#parts.get(String(properties.partID));
      const field = String(properties.field);
      if (!streaming || typeof properties.delta !== "string") return;
      // Kept as pieces: joining on every delta would copy a long reply over and over.
      const pieces = streaming.deltas.get(field) ?? [];
      pieces.push(properties.delta);
      streaming.deltas.set(field, pieces);
    } else if (type === "message.part.removed") {
      this.#parts.delete(String(properties.partID));
    } else if (isIdle(type, properties)) {
      const sessionID = String(properties.sessionID);
      for (const [id, { part }] of this.#parts) {
        if (part.sessionID === sessionID) this.#parts.delete(id);
      }
    }
  }

  /**
   * `messages` (as stored) with each streaming part of `sessionID` as streamed so far: replaced
   * where stored, added to its message where not stored yet.
   */
  overlay(sessionID: string, messages: MessageWithParts[]): MessageWithParts[] {
    const streaming = [...this.#parts.values()]
      .filter(({ part }) => part.sessionID === sessionID)
      .map(({ part, deltas }) => {
        const grown: Record<string, unknown> = { ...part };
        for (const [field, pieces] of deltas) {
          const stored = grown[field];
          grown[field] = (typeof stored === "string" ? stored : "") + pieces.join("");
        }
        return grown as unknown as Part;
      });
    if (streaming.length === 0) return messages;
    return messages.map((message) => {
      const mine = streaming.filter((part) => part.messageID === message.info.id);
      if (mine.length === 0) return message;
      const byId = new Map(mine.map((part) => [part.id, part]));
      const parts = message.parts.map((part) => byId.get(part.id) ?? part);
      const stored = new Set(message.parts.map((part) => part.id));
      parts.push(...mine.filter((part) => !stored.has(part.id)));
      return { ...message, parts };
    });
  }
}

/** Whether an event says a session has stopped working. */
function isIdle(type: string, properties: Record<string, unknown>): boolean {
  if (type === "session.idle") return true;
  const status = properties.status as { type?: string } | undefined;
  return type === "session.status" && status?.type === "idle";
}
