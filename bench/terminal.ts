/**
 * The terminal's benchmark, in Chromium against the real opencode's PTYs: the time from pressing
 * `Terminal` on a New session page to the shell's prompt on screen, then a print of `bytes` bytes
 * (`yes | head -c N`): the longest animation frame while it prints (Chromium reports frames of
 * 50 ms or more; 0 when there was none) and Palot's largest resident memory meanwhile.
 */

import type { Browser } from "playwright-core";
import { longestFrame, watchLongFrames } from "./long_frames.ts";
import type { RunningPalot } from "../testing/palot.ts";
import { waitFor } from "../testing/world.ts";

export interface TerminalFigures {
  /** `Terminal` pressed → the prompt drawn. */
  openToPromptMs: number;
  /** The longest animation frame while the print ran. */
  printLongestFrameMs: number;
  /** Palot's largest RSS while the print ran. */
  printPalotRssMb: number;
}

/**
 * Opens a terminal in `directory` and prints `bytes` bytes in it.
 *
 * @example
 * ```ts
 * const figures = await terminalFigures(palot, browser, directory, 50_000_000);
 * ```
 */
export async function terminalFigures(
  palot: RunningPalot,
  browser: Browser,
  directory: string,
  bytes: number,
): Promise<TerminalFigures> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  try {
    await page.goto(`${palot.url}/new?directory=${encodeURIComponent(directory)}`);
    // The project's instance is warm, as when a user opens a terminal beside a chat.
    await waitFor(async () => {
      const response = await palot.fetch(
        `/api/opencode/agent?directory=${encodeURIComponent(directory)}`,
      );
      await response.body?.cancel();
      return response.ok;
    }, { timeoutMs: 120_000, message: "the project's OpenCode instance" });
    const toggle = page.getByRole("button", { name: "Terminal", exact: true });
    await toggle.waitFor();
    await page.waitForFunction(() =>
      !document.querySelector<HTMLButtonElement>(".terminal-toggle")?.disabled
    );
    const rows = page.locator("#terminal-region .xterm-rows");
    const started = performance.now();
    await toggle.click();
    await page.waitForFunction(
      () =>
        /[#$] *$/m.test(document.querySelector("#terminal-region .xterm-rows")?.textContent ?? ""),
      undefined,
      { timeout: 60_000, polling: 10 },
    );
    const openToPromptMs = performance.now() - started;

    await watchLongFrames(page);
    const rss = async () => {
      const status = await Deno.readTextFile(`/proc/${palot.process.pid}/status`).catch(() => "");
      return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
    };
    let printPalotRssMb = 0;
    const sampling = setInterval(async () => {
      printPalotRssMb = Math.max(printPalotRssMb, await rss());
    }, 100);
    try {
      await page.locator("#terminal-region .xterm").click();
      await page.keyboard.type(`yes | head -c ${bytes}; echo printed-$((40+2))`);
      await page.keyboard.press("Enter");
      await rows.getByText("printed-42").waitFor({ timeout: 600_000 });
      await page.waitForTimeout(500);
    } finally {
      clearInterval(sampling);
    }
    const longestMs = await longestFrame(page);
    // The terminal is ended, as a user closing its tab would.
    await page.getByRole("button", { name: /^Close / }).click();
    return { openToPromptMs, printLongestFrameMs: longestMs, printPalotRssMb };
  } finally {
    await context.close();
  }
}
