/**
 * How the chat reads (issue 34), against the real opencode and the scripted fake LLM: a turn is
 * one block with one header whatever its steps, long runs of tool calls fold behind their summary,
 * the working line says what the agent does now (`Thinking…`, `Running bash: …`, `Writing…`,
 * `Waiting for you`) with the elapsed time, the Model picker is searched by any part of a name and
 * used by keyboard only, and message actions are reachable by keyboard.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { npmOpencodeBinary } from "../lib/server/opencode/supervisor/binary.ts";
import { freePort, waitFor } from "../testing/world.ts";
import { assertAccessible } from "./axe.ts";
import { chooseModel } from "./model_picker.ts";
import { browserTest, openNewChat, registerProject, send, sharedApp } from "./harness.ts";

const stack = sharedApp();
const assistant = (page: Page) => page.locator("article.message.assistant");
const workingLine = (page: Page) => page.locator(".working-line");

browserTest("a turn is one block: one header, tool runs folded, its figures once", async () => {
  await using app = await stack.use(["turns"]);
  const page = await app.newPage();
  const projectId = await registerProject(app, app.projects.turns);
  await openNewChat(app, page, projectId);
  const readme = join(app.projects.turns, "README.md");

  // One step with a tool call, then a step with text: one block, one header.
  app.llm.enqueue(
    { toolCalls: [{ name: "read", arguments: { filePath: readme } }] },
    { text: "The title is turns." },
  );
  await send(page, "What is the title?");
  await assistant(page).getByText("The title is turns.").waitFor({ timeout: 30_000 });
  await page.getByRole("button", { name: "Stop" }).waitFor({ state: "detached", timeout: 15_000 });
  assert.equal(await assistant(page).count(), 1, "one block for the turn");
  const turn = assistant(page).first();
  assert.equal(await turn.locator(".message-role").count(), 1, "one header");
  assert.equal(await turn.locator('.part.tool[data-tool="read"]').count(), 1);
  assert.equal(await turn.locator(".message-totals").count(), 1, "the figures once, at its end");
  assert.match(await turn.locator(".message-totals").innerText(), /\d+ in · \d+ out tokens/);
  // Every step keeps its anchor, for search links and Undo.
  const steps = await page.evaluate(() =>
    document.querySelectorAll("article.message.assistant [id^=message-], article.turn").length
  );
  assert.ok(steps >= 2, `anchors of both steps: ${steps}`);

  // Four tool calls in a row: folded behind their summary, which opens in place.
  const notes = join(app.projects.turns, "notes.md");
  app.llm.enqueue(
    {
      toolCalls: [
        { name: "write", arguments: { filePath: notes, content: "one\n" } },
        { name: "read", arguments: { filePath: readme } },
      ],
    },
    {
      toolCalls: [
        { name: "edit", arguments: { filePath: readme, oldString: "# turns", newString: "# T" } },
        { name: "read", arguments: { filePath: notes } },
      ],
    },
    { text: "Both files are done." },
  );
  await send(page, "Write notes and rename the title");
  await assistant(page).getByText("Both files are done.").waitFor({ timeout: 30_000 });
  await page.getByRole("button", { name: "Stop" }).waitFor({ state: "detached", timeout: 15_000 });
  assert.equal(await assistant(page).count(), 2, "one block per turn");
  const second = assistant(page).nth(1);
  assert.equal(await second.locator(".message-role").count(), 1);
  const run = second.locator("details.tool-run");
  await run.waitFor();
  assert.equal(await run.locator("summary").innerText(), "4 tool calls · 2 files edited");
  assert.ok(!(await run.locator(".part.tool").first().isVisible()), "folded");
  await run.locator("summary").click();
  await run.locator('.part.tool[data-tool="edit"]').waitFor();
  assert.equal(await run.locator(".part.tool").count(), 4);

  // The server renders the same: after a reload, the same blocks.
  await page.reload();
  await page.getByText("Both files are done.").waitFor();
  assert.equal(await assistant(page).count(), 2);
  assert.equal(await assistant(page).nth(1).locator(".message-role").count(), 1);
  assert.equal(
    await assistant(page).nth(1).locator("details.tool-run summary").innerText(),
    "4 tool calls · 2 files edited",
  );
  await app.screenshot(page, "turns");
});

browserTest("the working line says what the agent does now, with the time", async () => {
  await using app = await stack.use(["working"]);
  const page = await app.newPage();
  const projectId = await registerProject(app, app.projects.working);
  await openNewChat(app, page, projectId);

  app.llm.enqueue(
    {
      // Nothing comes for a while first: the agent is thinking.
      chunkDelayMs: 1_500,
      toolCalls: [{
        name: "bash",
        arguments: { command: "sleep 3 && echo slept", description: "Sleep a little" },
      }],
    },
    {
      toolCalls: [{
        name: "question",
        arguments: {
          questions: [{
            question: "Carry on?",
            header: "Go on",
            options: [{ label: "Yes", description: "Go on" }, { label: "No", description: "Stop" }],
          }],
        },
      }],
    },
    { text: "Writing the answer slowly, word by word. ".repeat(4), chunkSize: 4, chunkDelayMs: 60 },
  );
  await send(page, "Work for a while");
  const line = workingLine(page);
  await line.filter({ hasText: "Thinking…" }).waitFor({ timeout: 30_000 });
  assert.match(await line.locator(".working-time").innerText(), /^\d+ s$/);
  await line.filter({ hasText: "Running bash: sleep 3 && echo slept" }).waitFor({
    timeout: 30_000,
  });
  // The elapsed time ticks.
  const before = await line.locator(".working-time").innerText();
  await page.waitForFunction(
    (shown) => document.querySelector(".working-line .working-time")?.textContent !== shown,
    before,
    { timeout: 5_000 },
  );
  await line.filter({ hasText: "Waiting for you" }).waitFor({ timeout: 30_000 });
  // The sidebar says the same.
  await page.locator(".session-nav .session-doing").filter({ hasText: "Waiting for you" })
    .waitFor({ timeout: 15_000 });
  const question = page.getByRole("form", { name: "Question from the agent" });
  await question.getByLabel("Yes").check();
  await question.getByRole("button", { name: "Submit" }).click();
  await line.filter({ hasText: "Writing…" }).waitFor({ timeout: 30_000 });
  await page.getByText("word by word").first().waitFor();
  await page.getByRole("button", { name: "Stop" }).waitFor({ state: "detached", timeout: 30_000 });
  await line.waitFor({ state: "detached" });
  assert.equal(await assistant(page).count(), 1, "the whole turn is one block");
});

browserTest("Model is found by a middle part of its name, by keyboard only", async () => {
  await using app = await stack.use(["picker"], {
    config: {
      provider: {
        mock: {
          models: {
            "mock-2": {
              name: "Mock Two",
              limit: { context: 128_000, output: 4_096 },
              cost: { input: 1, output: 2 },
            },
          },
        },
      },
    },
  });
  const page = await app.newPage();
  const projectId = await registerProject(app, app.projects.picker);
  await openNewChat(app, page, projectId);
  const model = page.getByRole("combobox", { name: "Model" });
  assert.equal(await model.getAttribute("data-value"), "mock/mock-1");
  await model.focus();
  await page.keyboard.press("Enter");
  const list = page.getByRole("listbox", { name: "Models" });
  await list.waitFor();
  await page.keyboard.type("two");
  const options = list.getByRole("option");
  assert.deepEqual(await options.locator(".model-name").allTextContents(), ["Mock Two"]);
  // What OpenCode knows of it: its context limit and price.
  assert.match(await options.first().innerText(), /128K context · \$1 \/ \$2 per M/);
  await page.keyboard.press("Enter");
  await list.waitFor({ state: "hidden" });
  assert.equal(await model.getAttribute("data-value"), "mock/mock-2");
  assert.equal(await model.inputValue(), "Mock Two");
  // Arrows and Escape: Escape closes without changing.
  await model.focus();
  await page.keyboard.press("ArrowDown");
  await list.waitFor();
  await page.keyboard.press("ArrowDown");
  await page.keyboard.press("Escape");
  await list.waitFor({ state: "hidden" });
  assert.equal(await model.getAttribute("data-value"), "mock/mock-2");
  // With the pointer too: the helper other tests use.
  await chooseModel(page, "Mock One", "Mock");
  assert.equal(await model.getAttribute("data-value"), "mock/mock-1");
  await chooseModel(page, "Two", "Mock");

  app.llm.enqueue({ text: "Answered by the second mock." });
  await send(page, "Which model?");
  await assistant(page).getByText("Answered by the second mock.").waitFor({ timeout: 30_000 });
  const request = app.llm.requests.at(-1)!;
  assert.equal((request as { model?: string }).model, "mock-2");
  await assertAccessible(page, "the session with the picker");
});

browserTest("message actions are quiet, and reachable by keyboard", async () => {
  await using app = await stack.use(["actions"]);
  const page = await app.newPage();
  const projectId = await registerProject(app, app.projects.actions);
  await openNewChat(app, page, projectId);
  app.llm.enqueue({ text: "First answer." });
  await send(page, "First question");
  await assistant(page).getByText("First answer.").waitFor({ timeout: 30_000 });
  await page.getByRole("button", { name: "Stop" }).waitFor({ state: "detached", timeout: 15_000 });
  const user = page.locator("article.message.user").first();
  const undo = user.getByRole("button", { name: "Undo" });
  const opacity = () => undo.evaluate((button) => getComputedStyle(button.parentElement!).opacity);
  await page.mouse.move(0, 0);
  assert.equal(await opacity(), "0", "quiet until hovered or focused");
  await user.getByRole("button", { name: "Copy" }).focus();
  // Shown when focused (after its short fade).
  await page.waitForFunction(
    () =>
      getComputedStyle(document.querySelector(".message.user .message-actions")!).opacity === "1",
    undefined,
    { timeout: 5_000 },
  );
  await page.keyboard.press("Tab");
  assert.equal(await page.evaluate(() => document.activeElement?.textContent), "Undo");
  await page.keyboard.press("Tab");
  assert.equal(await page.evaluate(() => document.activeElement?.textContent), "Fork");

  // A stopped (or failed) turn has Retry: the same message again.
  app.llm.enqueue({ text: "A long answer, word by word. ".repeat(40), chunkDelayMs: 100 });
  await send(page, "Try this once more");
  // Stopped while it streams (OpenCode 1.18.33 can lose a Stop pressed before the model's first
  // words: the stream then goes on into the next turn).
  await assistant(page).getByText("A long answer").first().waitFor({ timeout: 30_000 });
  await page.getByRole("button", { name: "Stop" }).click();
  await page.locator(".message-stopped").waitFor({ timeout: 30_000 });
  const retry = page.getByRole("button", { name: "Retry" });
  await retry.waitFor({ timeout: 30_000 });
  // At once: OpenCode may still be ending the stopped turn, and the click waits until it is idle.
  app.llm.enqueue({ text: "Second time lucky." });
  await retry.click();
  await assistant(page).getByText("Second time lucky.").waitFor({ timeout: 30_000 });
  assert.equal(
    await page.locator("article.message.user").filter({ hasText: "Try this once more" }).count(),
    2,
    "the same message, sent again",
  );
  await retry.waitFor({ state: "detached" });
});

browserTest("side by side with opencode web: the same session, light, dark and phone", async () => {
  await using app = await stack.use(["sidebyside"]);
  const projectId = await registerProject(app, app.projects.sidebyside);
  const page = await app.newPage();
  await openNewChat(app, page, projectId);
  const readme = join(app.projects.sidebyside, "README.md");
  const notes = join(app.projects.sidebyside, "notes.md");
  app.llm.enqueue(
    {
      text: "I'll look at the project first.",
      toolCalls: [
        { name: "read", arguments: { filePath: readme } },
        { name: "bash", arguments: { command: "ls -la", description: "List the files" } },
      ],
    },
    {
      toolCalls: [
        { name: "write", arguments: { filePath: notes, content: "# Notes\n\nOne.\n" } },
        {
          name: "edit",
          arguments: { filePath: readme, oldString: "# sidebyside", newString: "# Side by side" },
        },
      ],
    },
    {
      text:
        "Done: the title is renamed and **notes.md** is written.\n\n```bash\ncat notes.md\n```\n",
    },
  );
  await send(page, "Rename the title and write some notes");
  await assistant(page).getByText("notes.md is written").waitFor({ timeout: 30_000 });
  await page.getByRole("button", { name: "Stop" }).waitFor({ state: "detached", timeout: 15_000 });
  const sessionId = page.url().split("/session/")[1];

  // OpenCode's own web UI on the same storage, the same session.
  const port = freePort();
  const web = new Deno.Command(npmOpencodeBinary(), {
    args: ["web", "--hostname", "127.0.0.1", "--port", String(port)],
    env: { ...app.world.env, BROWSER: "true" },
    clearEnv: true,
    cwd: app.projects.sidebyside,
    stdin: "null",
    stdout: "null",
    stderr: "null",
  }).spawn();
  try {
    const base = `http://127.0.0.1:${port}`;
    await waitFor(async () => {
      const response = await fetch(base, { signal: AbortSignal.timeout(2_000) }).catch(() => null);
      await response?.body?.cancel();
      return Boolean(response?.ok);
    }, { timeoutMs: 60_000, message: "opencode web to answer" });
    const directory = btoa(app.projects.sidebyside).replace(/\+/g, "-").replace(/\//g, "_")
      .replace(/=/g, "");
    const shots = [
      { name: "", width: 1280, height: 800, dark: false },
      { name: "-dark", width: 1280, height: 800, dark: true },
      { name: "-phone", width: 390, height: 844, dark: false },
    ];
    for (const shot of shots) {
      const ours = await app.newPage({
        width: shot.width,
        height: shot.height,
        theme: shot.dark ? "dark" : "light",
      });
      await ours.goto(`${app.palot.url}/session/${sessionId}`);
      await ours.getByText("notes.md is written").waitFor({ timeout: 30_000 });
      await app.screenshot(ours, `side-by-side-palot${shot.name}`);
      await ours.context().close();
      const context = await app.browser.newContext({
        viewport: { width: shot.width, height: shot.height },
        colorScheme: shot.dark ? "dark" : "light",
      });
      try {
        const theirs = await context.newPage();
        await theirs.goto(`${base}/${directory}/session/${sessionId}`);
        await theirs.getByText("is written").first().waitFor({ timeout: 60_000 });
        await theirs.waitForTimeout(1_000);
        await app.screenshot(theirs, `side-by-side-opencode${shot.name}`);
      } finally {
        await context.close();
      }
    }
  } finally {
    web.kill("SIGTERM");
    await web.status;
  }
});

stack.stopAfterAll();
