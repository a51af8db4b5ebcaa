/**
 * The large-file benchmark: a file of tens of thousands of TypeScript lines in a project, opened
 * in a session page's side pane (`Files`, `Find file`, the real opencode's `file.read`) in
 * Chromium, then scrolled to its middle and its end. Measures the longest animation frame
 * meanwhile (Chromium reports frames of 50 ms or more; 0 when there was none).
 */

import type { Browser } from "playwright-core";
import { join } from "node:path";
import { longestFrameScrolling, watchLongFrames } from "./long_frames.ts";
import { postToOpencode, type RunningPalot } from "../testing/palot.ts";

/**
 * Opens a `lines`-line file in `directory` and returns the longest frame, in ms.
 *
 * @example
 * ```ts
 * const longestFrameMs = await largeFileLongestFrame(palot, browser, directory, 20_000);
 * ```
 */
export async function largeFileLongestFrame(
  palot: RunningPalot,
  browser: Browser,
  directory: string,
  lines: number,
): Promise<number> {
  const name = "large-file-bench.ts";
  const path = join(directory, name);
  const text = Array.from(
    { length: lines },
    (_, index) => `export const value${index} = "line ${index}"; // a typed constant\n`,
  ).join("");
  await Deno.writeTextFile(path, text);
  const session = await postToOpencode(palot, "/session", directory, { title: "Large file" });
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const page = await context.newPage();
  try {
    await page.goto(`${palot.url}/session/${session.id}`);
    await page.getByRole("status").filter({ hasText: "Connected" }).waitFor({ timeout: 30_000 });
    await page.locator('[data-island="Chat"][data-hydrated]').waitFor({
      state: "attached",
      timeout: 30_000,
    });
    await page.getByRole("button", { name: "Files", exact: true }).click();
    const pane = page.getByRole("region", { name: "Workbench" });
    await pane.getByRole("searchbox", { name: "Find file" }).fill(name);
    const found = pane.getByRole("list", { name: "Files found" }).getByRole("button", { name });
    await found.waitFor({ timeout: 30_000 });
    await watchLongFrames(page);
    await found.click();
    const contents = pane.getByRole("region", { name: `Contents of ${name}` });
    return await longestFrameScrolling(page, contents, lines);
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
