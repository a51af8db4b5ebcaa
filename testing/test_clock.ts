/**
 * A clock a test moves forward instead of waiting: real time, plus every {@linkcode TestClock.skip}
 * so far. Give its `now` to what takes a clock (the instance keeper).
 *
 * @example
 * ```ts
 * const clock = new TestClock();
 * const keeper = new InstanceKeeper({ source, idleMs: 30_000, now: clock.now });
 * clock.skip(30_000); // the keeper's instances are idle now
 * ```
 */
export class TestClock {
  #skipped = 0;

  /** Now, as the code under test sees it. */
  readonly now = (): number => Date.now() + this.#skipped;

  /** Moves the clock `ms` forward. */
  skip(ms: number): void {
    this.#skipped += ms;
  }
}
