/**
 * The worktree benchmark, in Chromium against the real opencode and git with the fake LLM: the
 * time from Send on a New session page with `New worktree` ticked to the reply on screen. It spans
 * Palot naming the worktree, OpenCode creating and checking it out, the session created there,
 * the prompt, the page opening the session in its worktree, and the reply streamed to it.
 */

import type { Browser } from "playwright-core";
import { median } from "./figures.ts";
import { FakeLlm } from "../testing/fake_llm.ts";
import { startPalot } from "../testing/palot.ts";
import { OpencodeWorld, waitFor } from "../testing/world.ts";

/**
 * Median time, over `runs` sessions each in a new worktree, from Send to the first reply shown.
 *
 * @example
 * ```ts
 * const ms = await worktreeSendToReplyMs(browser, 5);
 * ```
 */
export async function worktreeSendToReplyMs(browser: Browser, runs: number): Promise<number> {
  await using llm = await FakeLlm.start();
  await using world = await OpencodeWorld.create({ llm });
  const directory = await world.makeProject("worktree-bench");
  await using palot = await startPalot(world);
  await waitFor(async () => {
    const response = await palot.fetch(
      `/api/opencode/project/current?directory=${encodeURIComponent(directory)}`,
    );
    return response.ok && (await response.json()).id;
  }, { timeoutMs: 120_000, message: "the project known to OpenCode" });
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const times: number[] = [];
  try {
    for (let run = 0; run < runs; run++) {
      const page = await context.newPage();
      await page.goto(`${palot.url}/new?directory=${encodeURIComponent(directory)}`);
      await page.getByRole("status").filter({ hasText: "Connected" }).waitFor({ timeout: 60_000 });
      await page.locator(".toolbar:not([data-provisional])").waitFor({ timeout: 60_000 });
      await page.locator('[data-island="Chat"][data-hydrated]').waitFor({ state: "attached" });
      const toggle = page.getByRole("checkbox", { name: "New worktree" });
      if (!await toggle.isChecked()) await toggle.check();
      const reply = `Reply number ${run}`;
      llm.enqueue({ text: reply });
      const box = page.getByLabel("Message", { exact: true });
      await box.fill(`Bench task ${run}`);
      await page.locator("form.composer button[type=submit]:not([disabled])").waitFor();
      const started = performance.now();
      await box.press("Enter");
      await page.waitForURL(/\/session\//, { timeout: 60_000 });
      await page.getByText(reply).waitFor({ timeout: 60_000 });
      times.push(performance.now() - started);
      await page.close();
    }
  } finally {
    await context.close();
  }
  return median(times);
}
