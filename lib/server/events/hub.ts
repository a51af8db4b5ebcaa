/**
 * The fan-out of live events to browser tabs. Every event gets the next integer id and its SSE
 * frame (encoded once), goes into a replay buffer bounded both by count and by bytes (one
 * `message.part.updated` can carry a whole tool output), then to each subscriber. A tab that
 * reconnects with the last id it saw gets exactly the events it missed, or is told to resync when
 * they have left the buffer. The buffer keeps only the frames, not the parsed events.
 */

import type { HubEvent } from "../../common/hub_event.ts";
import { eventFrame } from "./frame.ts";

/** An event kept for replay: its id and its SSE frame (bytes that must not be modified). */
export interface BufferedEvent {
  id: number;
  frame: Uint8Array;
}

/** An event as subscribers receive it live: also the event itself. */
export interface StampedEvent extends BufferedEvent {
  event: HubEvent;
}

export type Subscriber = (stamped: StampedEvent) => void;

export interface SubscribeOptions {
  /** Called once when the hub closes (Palot is shutting down): end the stream. */
  onClose?: () => void;
}

/**
 * Numbers, buffers and fans out events.
 *
 * @example
 * ```ts
 * const hub = new EventHub({ capacity: 5000, maxBytes: 16 * 1024 * 1024 });
 * const unsubscribe = hub.subscribe(({ id, event }) => console.log(id, event.payload.type));
 * hub.publish({ directory: "/p", payload: { type: "session.idle", properties: {} } });
 * unsubscribe();
 * ```
 */
export class EventHub {
  #capacity: number;
  #maxBytes: number;
  /** Buffered events, oldest first, from index `#head` (earlier slots are evicted). */
  #buffer: (BufferedEvent | undefined)[] = [];
  #head = 0;
  #bytes = 0;
  #lastId = 0;
  #subscribers = new Set<Subscriber>();
  #closers = new Map<Subscriber, () => void>();
  /** A random id for this process, so a tab can tell a restarted Palot from a gap. */
  readonly epoch = crypto.randomUUID().slice(0, 8);

  #log: (line: string) => void;

  constructor(
    { capacity = 5_000, maxBytes = 16 * 1024 * 1024, log = console.error }: {
      /** Events kept for tabs that reconnect (default 5,000). */
      capacity?: number;
      /** Bytes of frames kept for tabs that reconnect (default 16 MB). */
      maxBytes?: number;
      log?: (line: string) => void;
    } = {},
  ) {
    this.#capacity = Math.max(1, capacity);
    this.#maxBytes = Math.max(0, maxBytes);
    this.#log = log;
  }

  /** How many events the replay buffer holds now. */
  get bufferedCount(): number {
    return this.#buffer.length - this.#head;
  }

  /** How many bytes of frames the replay buffer holds now. */
  get bufferedBytes(): number {
    return this.#bytes;
  }

  /** The id of the newest event (0 before the first); a page renders it for its tab to resume. */
  get lastId(): number {
    return this.#lastId;
  }

  /** How many subscribers (open tabs) there are now. */
  get subscriberCount(): number {
    return this.#subscribers.size;
  }

  /** Stamps `event` with the next id and its frame, keeps it, and delivers it to every subscriber. */
  publish(event: HubEvent): StampedEvent {
    const id = ++this.#lastId;
    const stamped = { id, event, frame: eventFrame(this.epoch, id, event) };
    this.#keep({ id, frame: stamped.frame });
    for (const subscriber of this.#subscribers) {
      try {
        subscriber(stamped);
      } catch (error) {
        // One broken tab must not stop the others, nor the upstream reader that publishes.
        this.#subscribers.delete(subscriber);
        this.#closers.delete(subscriber);
        this.#log(`Dropping an event subscriber that failed: ${(error as Error).message}`);
      }
    }
    return stamped;
  }

  /**
   * Delivers every event published from now on to `subscriber`; returns the function that ends
   * the subscription (call it when the tab's stream closes).
   *
   * @example
   * ```ts
   * const unsubscribe = hub.subscribe(send, { onClose: () => controller.close() });
   * ```
   */
  subscribe(subscriber: Subscriber, options: SubscribeOptions = {}): () => void {
    this.#subscribers.add(subscriber);
    if (options.onClose) this.#closers.set(subscriber, options.onClose);
    return () => {
      this.#subscribers.delete(subscriber);
      this.#closers.delete(subscriber);
    };
  }

  /** Ends every subscription (their `onClose` runs), so open streams let the server stop. */
  close(): void {
    const closers = [...this.#closers.values()];
    this.#subscribers.clear();
    this.#closers.clear();
    for (const onClose of closers) onClose();
  }

  /**
   * The frames of the events after `lastId`, oldest first; `"too-old"` when some of them already
   * left the buffer (or `lastId` is from the future, as after a restart of Palot).
   */
  since(lastId: number): BufferedEvent[] | "too-old" {
    if (!Number.isInteger(lastId) || lastId < 0 || lastId > this.#lastId) return "too-old";
    const missed = this.#lastId - lastId;
    if (missed > this.bufferedCount) return "too-old";
    return this.#buffer.slice(this.#buffer.length - missed) as BufferedEvent[];
  }

  /** Appends to the buffer, then evicts the oldest events until both bounds hold. */
  #keep(buffered: BufferedEvent): void {
    this.#buffer.push(buffered);
    this.#bytes += buffered.frame.byteLength;
    while (
      this.bufferedCount > this.#capacity ||
      (this.#bytes > this.#maxBytes && this.bufferedCount > 0)
    ) {
      this.#bytes -= this.#buffer[this.#head]!.frame.byteLength;
      this.#buffer[this.#head++] = undefined;
    }
    // Drop the evicted slots now and then, so the array does not grow for ever.
    if (this.#head >= 1024 && this.#head * 2 >= this.#buffer.length) {
      this.#buffer = this.#buffer.slice(this.#head);
      this.#head = 0;
    }
  }
}
