/**
 * A reload during a reply loses nothing: the page shows the text streamed so far at whatever moment
 * it is reloaded (in its server-rendered HTML, before any script), then the rest streams on with no
 * gap and no double, and the final text is the model's. The same for a tab opened mid-reply, and
 * for a tab that comes back after missing more events than Palot keeps for replay (a resync).
 */

import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { waitFor } from "../testing/world.ts";
import {
  browserTest,
  islandReady,
  openNewChat,
  registerProject,
  send,
  startApp,
} from "./harness.ts";
import { addTabControls, openStreams, setPageHidden } from "./tab_controls.ts";

const WORDS = Array.from({ length: 40 }, (_, index) => `slow${index}`).join(" ");
const LONG_WORDS = Array.from({ length: 160 }, (_, index) => `slow${index}`).join(" ");

/** The assistant's text on screen, spaces folded. */
async function replyText(page: Page): Promise<string> {
  const parts = page.locator(".message.assistant .part.text");
  if (await parts.count() === 0) return "";
  return (await parts.last().innerText()).replace(/\s+/g, " ").trim();
}

browserTest("a reload, or a tab opened, mid-reply shows the text so far and the rest", async () => {
  await using app = await startApp({ projects: ["alpha"] });
  const projectId = await registerProject(app, app.projects.alpha);
  const page = await app.newPage();
  await openNewChat(app, page, projectId);
  // 40 words in chunks of 6 characters, 150 ms apart: about 7 s of streaming.
  app.llm.enqueue({ text: WORDS, chunkSize: 6, chunkDelayMs: 150 });
  await send(page, "Reply slowly");
  await page.waitForURL(/\/session\//);
  const sessionUrl = page.url();

  let seen = "";
  for (const word of ["slow4", "slow12", "slow22"]) {
    await waitFor(async () => (await replyText(page)).includes(word), {
      message: `${word} streamed`,
    });
    seen = await replyText(page);
    const response = await page.reload();
    // The server's HTML: the text so far, from the first word, and a prefix of the reply.
    const html = (await response!.text()).replace(/<[^>]+>/g, " ").replace(/\s+/g, " ");
    assert.ok(html.includes(seen), `the reloaded page's HTML has "${seen}"`);
    const shown = await replyText(page);
    assert.ok(WORDS.startsWith(shown), `"${shown}" is a prefix of the reply`);
    assert.ok(shown.length >= seen.length, `nothing lost: "${shown}" after "${seen}"`);
    await islandReady(page, "Chat");
  }

  // A second tab opened mid-reply.
  const other = await app.newPage();
  await other.goto(sessionUrl);
  const opened = await replyText(other);
  assert.ok(opened.startsWith("slow0 ") && WORDS.startsWith(opened), `"${opened}"`);

  for (const tab of [page, other]) {
    await waitFor(async () => (await replyText(tab)) === WORDS, {
      timeoutMs: 60_000,
      message: "the whole reply, no gap and no double",
    });
  }
});

browserTest(
  "a tab that missed more events than Palot keeps, mid-reply, shows the text so far with no gap",
  async () => {
    // A replay buffer of 12 events: a tab away for a few seconds of streaming must resync.
    await using app = await startApp({
      projects: ["alpha"],
      palot: { env: { PALOT_EVENT_BUFFER: "12" } },
    });
    const projectId = await registerProject(app, app.projects.alpha);
    const context = await app.browser.newContext();
    try {
      // Without Web Locks (plain http from another device) a hidden tab lets go of its stream.
      await context.addInitScript(() => {
        delete (Navigator.prototype as { locks?: unknown }).locks;
      });
      await addTabControls(context);
      const page = await context.newPage();
      await openNewChat(app, page, projectId);
      // About 30 s of streaming: still streaming when the tab comes back, however slow the machine.
      app.llm.enqueue({ text: LONG_WORDS, chunkSize: 6, chunkDelayMs: 150 });
      await send(page, "Reply slowly");
      await page.waitForURL(/\/session\//);
      await waitFor(async () => (await replyText(page)).includes("slow4"), {
        message: "slow4 streamed",
      });
      await setPageHidden(page, true);
      await waitFor(async () => (await openStreams(page)) === 0, { message: "the stream let go" });
      // Well over 12 deltas go by while the tab is away.
      await new Promise((resolve) => setTimeout(resolve, 3_000));
      const shownAt = (await replyText(page)).length;
      await setPageHidden(page, false);
      // Back: the text grows past what it had, and at every moment it is a prefix of the reply.
      await waitFor(async () => {
        const shown = await replyText(page).catch(() => "");
        assert.ok(LONG_WORDS.startsWith(shown), `"${shown}" is a prefix of the reply`);
        return shown.length > shownAt + 12 && shown !== LONG_WORDS ? shown : undefined;
      }, { timeoutMs: 30_000, message: "the text so far, then more" });
      await waitFor(async () => (await replyText(page)) === LONG_WORDS, {
        timeoutMs: 90_000,
        message: "the whole reply",
      });
    } finally {
      await context.close();
    }
  },
);
