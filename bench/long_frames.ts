/**
 * Long animation frames in a page: Chromium reports the main thread's frames of 50 ms or more,
 * with their full length. {@linkcode watchLongFrames} starts counting; {@linkcode longestFrame}
 * reads the longest since (0 when there was none).
 */

import type { Page } from "playwright-core";

/**
 * Starts recording `page`'s long animation frames.
 *
 * @example
 * ```ts
 * await watchLongFrames(page);
 * await doTheWork();
 * const longestMs = await longestFrame(page);
 * ```
 */
export async function watchLongFrames(page: Page): Promise<void> {
  await page.evaluate(() => {
    const frames: number[] = [];
    (globalThis as { __longFrames?: number[] }).__longFrames = frames;
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) frames.push(entry.duration);
    }).observe({ type: "long-animation-frame" });
  });
}

/** The longest frame recorded since {@linkcode watchLongFrames}, in ms. */
export async function longestFrame(page: Page): Promise<number> {
  const frames = await page.evaluate(() =>
    (globalThis as { __longFrames?: number[] }).__longFrames ?? []
  );
  return Math.max(0, ...frames);
}
