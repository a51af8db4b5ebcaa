/**
 * Limits guessing Palot's access token: a client that presented a wrong token `limit` times within
 * `windowMs` is refused (429, `Retry-After`) until the oldest of those failures leaves the window.
 * Clients are told apart by their address. The number of clients remembered is bounded, so a flood
 * of addresses cannot grow Palot's memory.
 */

export interface SignInThrottleOptions {
  /** Wrong tokens allowed per client within the window (default 10). */
  limit?: number;
  /** The window, in milliseconds (default one minute). */
  windowMs?: number;
  /** The most clients remembered (default 10,000); the longest quiet are forgotten first. */
  maxClients?: number;
  /** The clock (tests). */
  now?: () => number;
}

/**
 * Failed sign-ins per client.
 *
 * @example
 * ```ts
 * const throttle = new SignInThrottle();
 * if (throttle.retryAfter(address) > 0) return c.text("Too many wrong tokens", 429);
 * if (!valid) throttle.fail(address);
 * ```
 */
export class SignInThrottle {
  #failures = new Map<string, number[]>();
  #limit: number;
  #windowMs: number;
  #maxClients: number;
  #now: () => number;

  constructor(options: SignInThrottleOptions = {}) {
    this.#limit = options.limit ?? 10;
    this.#windowMs = options.windowMs ?? 60_000;
    this.#maxClients = options.maxClients ?? 10_000;
    this.#now = options.now ?? Date.now;
  }

  /** Seconds `client` must wait before its next try; 0 when it may try now. */
  retryAfter(client: string): number {
    const recent = this.#recent(client);
    if (recent.length < this.#limit) return 0;
    return Math.max(1, Math.ceil((recent[0] + this.#windowMs - this.#now()) / 1000));
  }

  /** Counts a wrong token presented by `client`. */
  fail(client: string): void {
    const recent = this.#recent(client);
    recent.push(this.#now());
    // Re-inserted, so the map's order is from the longest quiet client to the latest.
    this.#failures.delete(client);
    this.#failures.set(client, recent.slice(-this.#limit));
    for (const quiet of this.#failures.keys()) {
      if (this.#failures.size <= this.#maxClients) break;
      this.#failures.delete(quiet);
    }
  }

  /** `client`'s failures still within the window, oldest first. */
  #recent(client: string): number[] {
    const since = this.#now() - this.#windowMs;
    const recent = (this.#failures.get(client) ?? []).filter((time) => time > since);
    if (recent.length === 0) this.#failures.delete(client);
    return recent;
  }
}
