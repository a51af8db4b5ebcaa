/**
 * The fan-out of live events to browser tabs. Every event gets the next integer id and goes into
 * a bounded ring buffer, then to each subscriber. A tab that reconnects with the last id it saw
 * gets exactly the events it missed, or is told to resync when they have left the buffer.
 */

/** An event as tabs receive it: OpenCode's `{directory, payload}`, or one of Palot's own. */
export interface HubEvent {
  directory: string;
  payload: { type: string; properties?: unknown; [key: string]: unknown };
}

export interface StampedEvent {
  id: number;
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
 * const hub = new EventHub({ capacity: 5000 });
 * const unsubscribe = hub.subscribe(({ id, event }) => console.log(id, event.payload.type));
 * hub.publish({ directory: "/p", payload: { type: "session.idle", properties: {} } });
 * unsubscribe();
 * ```
 */
export class EventHub {
  #capacity: number;
  #buffer: StampedEvent[] = [];
  /** Index in `#buffer` of the oldest event once the buffer is full. */
  #start = 0;
  #lastId = 0;
  #subscribers = new Set<Subscriber>();
  #closers = new Map<Subscriber, () => void>();
  /** A random id for this process, so a tab can tell a restarted Palot from a gap. */
  readonly epoch = crypto.randomUUID().slice(0, 8);

  #log: (line: string) => void;

  constructor(
    { capacity = 5_000, log = console.error }: {
      /** Events kept for tabs that reconnect (default 5,000). */
      capacity?: number;
      log?: (line: string) => void;
    } = {},
  ) {
    this.#capacity = Math.max(1, capacity);
    this.#log = log;
  }

  /** The id of the newest event (0 before the first); a page renders it for its tab to resume. */
  get lastId(): number {
    return this.#lastId;
  }

  /** How many subscribers (open tabs) there are now. */
  get subscriberCount(): number {
    return this.#subscribers.size;
  }

  /** Stamps `event` with the next id, keeps it, and delivers it to every subscriber. */
  publish(event: HubEvent): StampedEvent {
    const stamped = { id: ++this.#lastId, event };
    if (this.#buffer.length < this.#capacity) this.#buffer.push(stamped);
    else {
      this.#buffer[this.#start] = stamped;
      this.#start = (this.#start + 1) % this.#capacity;
    }
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
   * The events after `lastId`, oldest first; `"too-old"` when some of them already left the
   * buffer (or `lastId` is from the future, as after a restart of Palot).
   */
  since(lastId: number): StampedEvent[] | "too-old" {
    if (!Number.isInteger(lastId) || lastId < 0 || lastId > this.#lastId) return "too-old";
    const missed = this.#lastId - lastId;
    const size = this.#buffer.length;
    if (missed > size) return "too-old";
    const events: StampedEvent[] = [];
    for (let i = size - missed; i < size; i++) events.push(this.#buffer[(this.#start + i) % size]);
    return events;
  }
}
