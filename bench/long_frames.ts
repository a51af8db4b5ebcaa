/**
 * Long animation frames in a page: Chromium reports the main thread's frames of 50 ms or more,
 * with their full length. {@linkcode watchLongFrames} starts counting; {@linkcode longestFrame}
 * reads the longest since (0 when there was none); {@linkcode longestFrameScrolling} scrolls a long
 * view through first.
 */

import type { Locator, Page } from "playwright-core";

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

/**
 * Scrolls `view` (a long file or diff of `lines` lines, each ending `value<N> `) to its middle and
 * its end, waits for its last line, and returns the longest frame since
 * {@linkcode watchLongFrames}.
 */
export async function longestFrameScrolling(
  page: Page,
  view: Locator,
  lines: number,
): Promise<number> {
  await view.getByText("value0 ").first().waitFor({ timeout: 30_000 });
  for (const fraction of [0.5, 1]) {
    await view.evaluate((element, at) => {
      element.scrollTop = element.scrollHeight * at;
    }, fraction);
    await page.waitForTimeout(300);
  }
  await view.getByText(`value${lines - 1} `).first().waitFor({ timeout: 10_000 });
  await page.waitForTimeout(500);
  return await longestFrame(page);
}
