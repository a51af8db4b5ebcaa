/**
 * The chat's finish (issue 34, and issue 33's page that never scrolls behind its header), against
 * the real opencode and the scripted fake LLM: `Agent` is a searchable picker with each agent's
 * description, Retry sends the same message again after a failed turn, a turn split between the
 * server-rendered history and the live chat is one block, a page opened mid-turn says what the
 * agent does on first paint, and the document itself never scrolls while a long reply streams.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { agentField, agentValue, chooseAgent } from "./agent_picker.ts";
import { chooseModel } from "./model_picker.ts";
import { waitFor } from "../testing/world.ts";
import { assertAccessible } from "./axe.ts";
import {
  browserTest,
  islandReady,
  openNewChat,
  registerProject,
  send,
  sharedApp,
} from "./harness.ts";

const stack = sharedApp();
const assistant = (page: Page) => page.locator("article.message.assistant");

browserTest("Agent is a searchable picker: descriptions, keyboard, first paint", async () => {
  await using app = await stack.use(["agents"], {
    config: {
      agent: {
        reviewer: {
          mode: "primary",
          description: "Reviews the code without changing it",
          prompt: "You are the careful reviewer of this project.",
        },
      },
    },
  });
  const projectId = await registerProject(app, app.projects.agents);
  const page = await app.newPage();
  await openNewChat(app, page, projectId);
  // First paint, without JavaScript: the field shows the agent, named `Agent`.
  const plain = await app.newPage({ javaScript: false });
  // Once the server has the project's options (an instance replaced under a loaded machine's
  // health checks may have made it ask again since the tab's load).
  await waitFor(async () => {
    await plain.goto(`${app.palot.url}/project/${projectId}/new`);
    return await agentField(plain).inputValue() === "build";
  }, { timeoutMs: 30_000, message: "the first paint with the agent" });
  assert.equal(await agentValue(plain), "build");
  const field = agentField(page);
  assert.equal(await agentValue(page), "build");
  assert.equal(await field.inputValue(), "build");

  // Keyboard only: Enter opens the list, each agent with its description.
  await field.focus();
  await page.keyboard.press("Enter");
  const list = page.getByRole("listbox", { name: "Agents" });
  await list.waitFor();
  const names = await list.locator(".agent-name").allTextContents();
  assert.ok(
    names.includes("build") && names.includes("plan") && names.includes("reviewer"),
    names.join(),
  );
  const reviewer = list.getByRole("option").filter({ hasText: "reviewer" });
  assert.match(await reviewer.innerText(), /Reviews the code without changing it/);
  // Typing any part of the description narrows it.
  await page.keyboard.type("without chang");
  assert.deepEqual(await list.locator(".agent-name").allTextContents(), ["reviewer"]);
  await page.keyboard.press("Enter");
  await list.waitFor({ state: "hidden" });
  assert.equal(await agentValue(page), "reviewer");
  assert.equal(await field.inputValue(), "reviewer");
  assert.equal(await field.getAttribute("title"), "Reviews the code without changing it");
  // Arrows and Escape: Escape closes without changing.
  await page.keyboard.press("ArrowDown");
  await list.waitFor();
  await page.keyboard.press("ArrowDown");
  await page.keyboard.press("Escape");
  await list.waitFor({ state: "hidden" });
  assert.equal(await agentValue(page), "reviewer");
  // Axe, with the list open, in both themes.
  for (const theme of ["light", "dark"] as const) {
    const themed = await app.newPage({ theme });
    await openNewChat(app, themed, projectId);
    await agentField(themed).click();
    await themed.getByRole("listbox", { name: "Agents" }).waitFor();
    await assertAccessible(themed, `the Agent picker open (${theme})`);
    await themed.context().close();
  }

  // The prompt goes to the agent chosen.
  app.llm.enqueue({ text: "Reviewed." });
  await send(page, "Review it");
  await assistant(page).getByText("Reviewed.").waitFor({ timeout: 30_000 });
  const request = JSON.stringify(app.llm.requests.at(-1));
  assert.ok(request.includes("careful reviewer of this project"), "sent with the reviewer agent");

  // With the pointer (the helper other tests use).
  await chooseAgent(page, "plan");
  assert.equal(await agentValue(page), "plan");
});

browserTest("Retry after a failed turn: the same message, files, agent and model", async () => {
  await using app = await stack.use(["failed"], {
    config: {
      provider: { mock: { models: { "mock-2": { name: "Mock Two" } } } },
      agent: {
        reviewer: {
          mode: "primary",
          description: "Reviews the code",
          prompt: "You are the careful reviewer of this project.",
        },
      },
    },
  });
  const projectId = await registerProject(app, app.projects.failed);
  const page = await app.newPage();
  await openNewChat(app, page, projectId);
  await chooseAgent(page, "reviewer");
  await chooseModel(page, "Mock Two", "Mock");
  // A text file pasted as an attachment.
  await page.getByLabel("Message", { exact: true }).fill("Check the pasted notes");
  await page.evaluate(() => {
    const data = new DataTransfer();
    data.items.add(new File(["PASTED-NOTES-42"], "notes.txt", { type: "text/plain" }));
    document.querySelector("#composer-message")!.dispatchEvent(
      new ClipboardEvent("paste", { clipboardData: data, bubbles: true, cancelable: true }),
    );
  });
  await page.getByRole("list", { name: "Attached files" }).getByText("notes.txt").waitFor();
  // The provider refuses the turn: it fails.
  app.llm.enqueue({
    error: {
      status: 400,
      message: "The fake model refuses this once",
      type: "invalid_request_error",
    },
  });
  const before = app.llm.requests.length;
  await page.getByLabel("Message", { exact: true }).press("Enter");
  const retry = page.getByRole("button", { name: "Retry" });
  await retry.waitFor({ timeout: 30_000 });
  assert.equal(app.llm.requests.length, before + 1, "the failed turn asked the model once");

  // The toolbar changed since: Retry still sends the message as it was sent.
  await chooseAgent(page, "build");
  await chooseModel(page, "Mock One", "Mock");
  app.llm.enqueue({ text: "Reviewed the notes." });
  await retry.click();
  await assistant(page).getByText("Reviewed the notes.").waitFor({ timeout: 30_000 });
  const request = app.llm.requests.at(-1)!;
  const body = JSON.stringify(request);
  assert.equal((request as { model?: string }).model, "mock-2", "the same model");
  assert.ok(body.includes("careful reviewer of this project"), "the same agent");
  assert.ok(body.includes("Check the pasted notes"), "the same text");
  assert.ok(body.includes("PASTED-NOTES-42"), "the same attachment");
  assert.equal(
    await page.locator("article.message.user").filter({ hasText: "Check the pasted notes" })
      .count(),
    2,
    "the same message, sent again",
  );
  await retry.waitFor({ state: "detached" });
});

browserTest("a turn split by the live window's edge is still one block, one header", async () => {
  await using app = await stack.use(["long"]);
  const projectId = await registerProject(app, app.projects.long);
  const page = await app.newPage();
  await openNewChat(app, page, projectId);
  const readme = join(app.projects.long, "README.md");
  // One turn of 52 steps (51 tool calls, then text), then a short one: 55 messages, and the last
  // 50 (the live window) would start inside the first turn.
  const steps = Array.from({ length: 51 }, () => ({
    toolCalls: [{ name: "read", arguments: { filePath: readme } }],
  }));
  app.llm.enqueue(...steps, { text: "Read it many times." });
  await send(page, "Read the README again and again");
  await assistant(page).getByText("Read it many times.").waitFor({ timeout: 120_000 });
  await page.getByRole("button", { name: "Stop" }).waitFor({ state: "detached", timeout: 30_000 });
  app.llm.enqueue({ text: "Short answer." });
  await send(page, "And now briefly");
  await assistant(page).getByText("Short answer.").waitFor({ timeout: 30_000 });
  await page.getByRole("button", { name: "Stop" }).waitFor({ state: "detached", timeout: 30_000 });

  const headers = (view: Page) => view.locator("article.message.assistant .message-role").count();
  // As the server renders it (no JavaScript), and once live.
  const plain = await app.newPage({ javaScript: false });
  await plain.goto(page.url());
  await plain.getByText("Short answer.").waitFor();
  assert.equal(await assistant(plain).count(), 2, "one block per turn, server-rendered");
  assert.equal(await headers(plain), 2, "one header per turn, server-rendered");
  await page.reload();
  await islandReady(page, "Chat");
  await page.getByText("Short answer.").waitFor();
  assert.equal(await assistant(page).count(), 2, "one block per turn");
  assert.equal(await headers(page), 2, "one header per turn");
  assert.equal(
    await assistant(page).first().locator("details.tool-run summary").innerText(),
    "51 tool calls",
  );
});

browserTest("a page opened mid-turn says what the agent does on first paint", async () => {
  await using app = await stack.use(["midturn"]);
  const projectId = await registerProject(app, app.projects.midturn);
  const page = await app.newPage();
  await openNewChat(app, page, projectId);
  const command = "sleep 8 && echo slept";
  app.llm.enqueue(
    { toolCalls: [{ name: "bash", arguments: { command, description: "Sleep" } }] },
    { text: "Slept well." },
  );
  await send(page, "Sleep a while");
  const doing = `Running bash: ${command}`;
  await page.locator(".working-line").filter({ hasText: doing }).waitFor({ timeout: 30_000 });

  // The server's HTML alone (no JavaScript): the chat's working line, the sidebar and Active now.
  const plain = await app.newPage({ javaScript: false });
  await plain.goto(page.url());
  assert.equal(await plain.locator(".working-line .working-doing").innerText(), doing);
  assert.equal(
    await plain.locator(".session-nav .session-doing").first().innerText(),
    doing,
    "the sidebar says it, not Working…",
  );
  await plain.goto(`${app.palot.url}/`);
  assert.equal(
    await plain.locator(".live-activity .session-doing").first().innerText(),
    doing,
    "Active now says it",
  );
  // Once live, the same (the store is seeded with it).
  const live = await app.newPage();
  await live.goto(page.url());
  await islandReady(live, "Chat");
  assert.equal(await live.locator(".session-nav .session-doing").first().innerText(), doing);
  await page.getByText("Slept well.").waitFor({ timeout: 30_000 });
});

/** The document has not scrolled: the header is at the top of the window. */
async function assertPinned(page: Page, when: string): Promise<void> {
  const where = await page.evaluate(() => ({
    document: document.scrollingElement!.scrollTop,
    window: scrollY,
    header: document.querySelector(".topbar")!.getBoundingClientRect().top,
  }));
  assert.deepEqual(
    where,
    { document: 0, window: 0, header: 0 },
    `${when}: ${JSON.stringify(where)}`,
  );
}

browserTest("the document never scrolls behind the header: the chat scrolls inside", async () => {
  await using app = await stack.use(["frame"], { config: { permission: { bash: "ask" } } });
  const projectId = await registerProject(app, app.projects.frame);
  const page = await app.newPage({ width: 1280, height: 600 });
  await openNewChat(app, page, projectId);
  await assertPinned(page, "a new chat");
  // A reply far taller than the window, streamed for a few seconds.
  const long = Array.from({ length: 120 }, (_, index) => `Line ${index} of the long reply.`)
    .join("\n\n");
  app.llm.enqueue({ text: long, chunkSize: 60, chunkDelayMs: 25 });
  await send(page, "Write a long reply");
  await assistant(page).getByText("Line 3 of the long reply.").waitFor({ timeout: 30_000 });
  for (let moment = 0; moment < 5; moment++) {
    await assertPinned(page, `while it streams (${moment})`);
    await page.waitForTimeout(400);
  }
  await assistant(page).getByText("Line 119 of the long reply.").waitFor({ timeout: 30_000 });
  await page.getByRole("button", { name: "Stop" }).waitFor({ state: "detached", timeout: 30_000 });
  await assertPinned(page, "once it ended");
  // The chat followed the reply in its own scroller: its end is in view.
  assert.ok(await assistant(page).getByText("Line 119 of the long reply.").isVisible());
  assert.ok(await page.evaluate(() => document.getElementById("main")!.scrollTop > 0));

  // Focusing the composer, opening a menu: still pinned.
  await page.getByLabel("Message", { exact: true }).focus();
  await assertPinned(page, "the composer focused");
  await agentField(page).click();
  await page.getByRole("listbox", { name: "Agents" }).waitFor();
  await assertPinned(page, "the Agent menu open");
  await page.keyboard.press("Escape");
  await page.getByRole("combobox", { name: "Model" }).click();
  await page.getByRole("listbox", { name: "Models" }).waitFor();
  await assertPinned(page, "the Model menu open");
  await page.keyboard.press("ArrowDown");
  await assertPinned(page, "an arrow in the Model menu");
  await page.keyboard.press("Escape");
  // The palette, walked with the arrows.
  await page.keyboard.press("Control+k");
  await page.getByRole("listbox", { name: "Results" }).waitFor();
  for (let step = 0; step < 6; step++) await page.keyboard.press("ArrowDown");
  await assertPinned(page, "the palette walked with the arrows");
  await page.keyboard.press("Escape");

  // A permission card appears (at the end of the chat).
  app.llm.enqueue(
    { toolCalls: [{ name: "bash", arguments: { command: "echo asked", description: "Echo" } }] },
    { text: "Asked and done." },
  );
  await send(page, "Run a command");
  const card = page.getByRole("form", { name: /permission/i }).or(page.locator(".request").first());
  await card.first().waitFor({ timeout: 30_000 });
  await assertPinned(page, "a permission card shown");

  // At phone width, the same page.
  const phone = await app.newPage({ width: 390, height: 700 });
  await phone.goto(page.url());
  await islandReady(phone, "Chat");
  await assertPinned(phone, "the phone page opened at its end");
  await phone.getByLabel("Message", { exact: true }).focus();
  await assertPinned(phone, "the phone's composer focused");
  await phone.locator(".request").first().scrollIntoViewIfNeeded();
  await assertPinned(phone, "the phone's permission card scrolled to");
  await page.getByRole("button", { name: "Allow once" }).first().click();
  await assistant(page).getByText("Asked and done.").waitFor({ timeout: 30_000 });
  await assertPinned(page, "after the permission");
  await assertPinned(phone, "the phone, after the permission");
});

stack.stopAfterAll();
