/**
 * The large-diff benchmark: a file of thousands of new TypeScript lines in a project's working
 * tree, opened from a session page's Changes panel (Working tree, the real opencode's `vcs.diff`)
 * in Chromium, then scrolled to its middle and its end. Measures the longest animation frame
 * meanwhile (Chromium reports frames of 50 ms or more; 0 when there was none).
 */

import type { Browser } from "playwright-core";
import { longestFrameScrolling, watchLongFrames } from "./long_frames.ts";
import { join } from "node:path";
import { postToOpencode, type RunningPalot } from "../testing/palot.ts";

/**
 * Opens a `lines`-line diff in `directory` (a git project) and returns the longest frame, in ms.
 *
 * @example
 * ```ts
 * const longestFrameMs = await largeDiffLongestFrame(palot, browser, directory, 5_000);
 * ```
 */
export async function largeDiffLongestFrame(
  palot: RunningPalot,
  browser: Browser,
  directory: string,
  lines: number,
): Promise<number> {
  const name = "large-diff-bench.ts";
  const path = join(directory, name);
  const text = Array.from(
    { length: lines },
    (_, index) => `export const value${index} = "line ${index}"; // a typed constant\n`,
  ).join("");
  await Deno.writeTextFile(path, text);
  const session = await postToOpencode(palot, "/session", directory, { title: "Large diff" });
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  try {
    await page.goto(`${palot.url}/session/${session.id}`);
    await page.getByRole("status").filter({ hasText: "Connected" }).waitFor({ timeout: 30_000 });
    await page.locator('[role=combobox][aria-label="Agent"]:not([disabled])').waitFor({
      timeout: 30_000,
    });
    // The toolbar is complete in the server's HTML: a click before the chat hydrates does nothing.
    await page.locator('[data-island="Chat"][data-hydrated]').waitFor({
      state: "attached",
      timeout: 30_000,
    });
    await page.getByRole("button", { name: "Changes", exact: true }).click();
    const panel = page.getByRole("region", { name: "Changes" });
    await panel.getByRole("tab", { name: "Working tree" }).click();
    const file = panel.getByRole("button", { name });
    await file.waitFor({ timeout: 30_000 });
    await watchLongFrames(page);
    await file.click();
    const diff = panel.getByRole("region", { name: `Diff of ${name}` });
    return await longestFrameScrolling(page, diff, lines);
  } finally {
    await context.close();
    await Deno.remove(path).catch(() => {});
    // Deleted as any client would, so the cached fixture is the same for the next run.
    const deleted = await palot.fetch(
      `/api/opencode/session/${session.id}?directory=${encodeURIComponent(directory)}`,
      { method: "DELETE" },
    );
    await deleted.body?.cancel();
  }
}
