/**
 * A reload during a reply loses nothing: the page shows the text streamed so far at whatever moment
 * it is reloaded (in its server-rendered HTML, before any script), then the rest streams on with no
 * gap and no double, and the final text is the model's. The same for a tab opened mid-reply.
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

const WORDS = Array.from({ length: 40 }, (_, index) => `slow${index}`).join(" ");

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
