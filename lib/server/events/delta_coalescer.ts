/**
 * Joins streamed text before it fans out to tabs. OpenCode sends a `message.part.delta` event per
 * model chunk, often one or two characters, thousands a second; a tab needs the text, not each
 * chunk. Deltas of the same part arriving within a short window leave as one event carrying their
 * text joined. Any other event first lets every held delta go, so tabs see events in the order
 * OpenCode sent them wherever the order matters.
 */

import type { HubEvent } from "../../common/hub_event.ts";

interface DeltaProperties {
  partID?: unknown;
  field?: unknown;
  delta?: unknown;
  [key: string]: unknown;
}

/**
 * Holds deltas for up to `windowMs`, joining those of the same part, and passes everything else
 * straight to `publish`.
 *
 * @example
 * ```ts
 * const coalescer = new DeltaCoalescer((event) => hub.publish(event));
 * upstream.onEvent = (event) => coalescer.push(event);
 * ```
 */
export class DeltaCoalescer {
  #publish: (event: HubEvent) => void;
  #windowMs: number;
  /** Held deltas by directory, part and field, in the order each part first arrived. */
  #held = new Map<string, HubEvent>();
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(publish: (event: HubEvent) => void, { windowMs = 16 } = {}) {
    this.#publish = publish;
    this.#windowMs = windowMs;
  }

  /** Publishes `event`, or holds it when it is a delta to join with the next ones. */
  push(event: HubEvent): void {
    const properties = event.payload.properties as DeltaProperties | undefined;
    if (
      event.payload.type !== "message.part.delta" || typeof properties?.delta !== "string" ||
      typeof properties.partID !== "string"
    ) {
      this.flush();
      this.#publish(event);
      return;
    }
    const key = `${event.directory}\n${properties.partID}\n${properties.field}`;
    const held = this.#held.get(key);
    if (held) {
      const heldProperties = held.payload.properties as DeltaProperties;
      heldProperties.delta = (heldProperties.delta as string) + properties.delta;
      return;
    }
    // A copy: the joined text must not change the event OpenCode's reader handed over.
    this.#held.set(key, { ...event, payload: { ...event.payload, properties: { ...properties } } });
    this.#timer ??= setTimeout(() => this.flush(), this.#windowMs);
  }

  /** Publishes every held delta now. */
  flush(): void {
    if (this.#held.size === 0) return;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    const held = [...this.#held.values()];
    this.#held.clear();
    for (const event of held) this.#publish(event);
  }
}
