/**
 * The session UI in a real browser against the real opencode and the scripted fake LLM: the
 * plan's phase 8 checks (toolbar at once, a new session in any project), streaming and Stop,
 * errors, drafts, permissions, questions, Markdown injection, 404 and a phone-width screen.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { readState } from "../lib/server/opencode/supervisor/state_file.ts";
import { waitFor } from "../testing/world.ts";
import { postToOpencode } from "../testing/palot.ts";
import {
  browserTest,
  islandReady,
  openNewChat,
  registerProject,
  send,
  sharedApp,
} from "./harness.ts";
import { modelValue } from "./model_picker.ts";
import { agentNames } from "./agent_picker.ts";

const assistant = (page: Page) => page.locator("article.message.assistant");

const stack = sharedApp();

browserTest("every project has the toolbar at once, and a new session works in each", async () => {
  await using app = await stack.use(["alpha", "beta", "gamma"]);
  const page = await app.newPage();
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(error.message));
  for (const [index, name] of ["alpha", "beta", "gamma"].entries()) {
    const projectId = await registerProject(app, app.projects[name]);
    if (index === 0) {
      // From the project page's button, for a project that has never had a session.
      await page.goto(`${app.palot.url}/project/${projectId}`);
      await page.getByRole("link", { name: "New session" }).click();
      await page.getByRole("status").filter({ hasText: "Connected" }).waitFor({ timeout: 30_000 });
      await page.locator('[role=combobox][aria-label="Agent"]:not([disabled])').waitFor({
        timeout: 15_000,
      });
    } else {
      await openNewChat(app, page, projectId);
    }
    assert.match(await page.title(), new RegExp(`New session · ${name} · Palot`));
    const agents = await agentNames(page);
    assert.ok(agents.includes("build") && agents.includes("plan"), agents.join());
    assert.ok(
      !agents.includes("title") && !agents.includes("explore"),
      "hidden and sub-agents are not offered",
    );
    assert.equal(await modelValue(page), "mock/mock-1");
    assert.equal(await page.getByLabel("Variant").count(), 0, "Mock One has no variants");
    // The branch comes with the project's own options (a page may first show the provisional
    // ones of folders without config of their own, which have none).
    await page.getByRole("group", { name: "Branch" }).filter({ hasText: "main" }).waitFor({
      timeout: 30_000,
    });
    if (index === 0) await app.screenshot(page, "new-session");

    app.llm.enqueue({ text: `Hello from ${name}, in **bold**.` });
    await send(page, `Hi ${name}`);
    await page.waitForURL(/\/session\/ses_/, { timeout: 15_000 });
    await assistant(page).getByText(`Hello from ${name}, in`).waitFor({ timeout: 15_000 });
    assert.equal(await assistant(page).locator("strong").first().innerText(), "bold");
    const sessionUrl = page.url();
    // The same chat comes back later, from disk and live.
    await page.reload();
    await assistant(page).getByText(`Hello from ${name}, in`).waitFor();
    assert.equal(page.url(), sessionUrl);
    if (index === 0) {
      await page.locator('[role=combobox][aria-label="Agent"]:not([disabled])').waitFor();
      await page.getByRole("button", { name: "Stop" }).waitFor({ state: "detached" });
      await app.screenshot(page, "live-chat");
      // A chat taller than the window opens at its end (its main column scrolls, not the page).
      const size = page.viewportSize()!;
      await page.setViewportSize({ width: size.width, height: 320 });
      await page.reload();
      await page.locator('[role=combobox][aria-label="Agent"]:not([disabled])').waitFor();
      const scroll = await page.evaluate(() => {
        const main = document.getElementById("main")!;
        return {
          top: main.scrollTop,
          bottom: main.scrollTop + main.clientHeight,
          height: main.scrollHeight,
        };
      });
      assert.ok(scroll.top > 0 && scroll.bottom >= scroll.height - 2, JSON.stringify(scroll));
      await page.setViewportSize(size);
    }
  }
  const lastAgentRequest = app.llm.requests.at(-1)!;
  assert.ok(JSON.stringify(lastAgentRequest.messages).includes("Hi gamma"));
  assert.deepEqual(errors, []);
});

browserTest(
  "a reply streams and can be stopped; failures read in plain words; drafts survive",
  async () => {
    await using app = await stack.use(["streaming"]);
    const page = await app.newPage();
    const projectId = await registerProject(app, app.projects.streaming);
    await openNewChat(app, page, projectId);

    app.llm.enqueue({ text: "word ".repeat(400), chunkSize: 5, chunkDelayMs: 40 });
    await send(page, "Talk for a long time");
    await page.waitForURL(/\/session\/ses_/);
    const stop = page.getByRole("button", { name: "Stop" });
    await stop.waitFor({ timeout: 15_000 });
    await assistant(page).getByText("word word word").waitFor();
    const partial = await assistant(page).innerText();
    await stop.click();
    await stop.waitFor({ state: "detached", timeout: 15_000 });
    await assistant(page).locator(".message-stopped").getByText("Stopped", { exact: true })
      .waitFor();
    assert.equal(await assistant(page).locator(".message-error").count(), 0, "not an error");
    assert.ok(
      (await assistant(page).innerText()).length < "word ".repeat(400).length,
      "it stopped early",
    );
    assert.ok(partial.includes("word"));

    // OpenCode retries a failing model; the chat says why, in plain words, and Stop ends it.
    const failure = { error: { status: 400, message: "The fake model refuses this request" } };
    app.llm.enqueue(failure, failure, failure, failure, failure);
    await send(page, "Please fail");
    await page.getByRole("status").filter({
      hasText: "Retrying (attempt 1): The fake model refuses this request",
    }).waitFor({ timeout: 15_000 });
    await page.getByRole("button", { name: "Stop" }).click();
    await page.getByRole("button", { name: "Stop" }).waitFor({
      state: "detached",
      timeout: 15_000,
    });
    app.llm.clear();

    // A draft is kept across a reload.
    await page.getByLabel("Message").fill("An unfinished thought");
    await page.reload();
    // The draft comes back once the chat has taken over the page (it reads local storage).
    await waitFor(
      async () => (await page.getByLabel("Message").inputValue()) === "An unfinished thought",
      { message: "the draft back after a reload" },
    );

    // While OpenCode is down, sending is refused with a reason and the text stays.
    const state = await readState(join(app.world.env.XDG_STATE_HOME, "palot"));
    Deno.kill(state!.pid, "SIGKILL");
    await page.getByRole("status").filter({ hasText: "Reconnecting…" }).waitFor({
      timeout: 15_000,
    });
    await page.getByLabel("Message").press("Enter");
    await page.getByRole("alert").filter({ hasText: "Not connected to OpenCode" }).waitFor();
    assert.equal(await page.getByLabel("Message").inputValue(), "An unfinished thought");
    await page.getByRole("status").filter({ hasText: "Connected" }).waitFor({ timeout: 60_000 });
    app.llm.enqueue({ text: "Back again." });
    await page.getByLabel("Message").press("Enter");
    await assistant(page).getByText("Back again.").waitFor({ timeout: 15_000 });
    assert.equal(await page.getByLabel("Message").inputValue(), "");

    // Text typed before the chat's script has taken over the page is kept (hydration used to
    // empty the box). The chat's module is held back 1.5 s so the typing comes first.
    await page.route("**/islands/Chat.js", async (route) => {
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      await route.continue();
    });
    await page.reload({ waitUntil: "commit" });
    const box = page.getByLabel("Message", { exact: true });
    await box.fill("Typed early");
    const sendEnabled = page.locator("form.composer button[type=submit]:not([disabled])");
    assert.equal(await sendEnabled.count(), 0, "typed before the chat took over");
    await sendEnabled.waitFor();
    assert.equal(await box.inputValue(), "Typed early");
    await page.unroute("**/islands/Chat.js");

    // The islands take over the page as it was served, all together, even when the session
    // changed meanwhile: here it turns busy while the chat's script is held back. (Islands used to
    // hydrate one by one: the first opened the event stream, the chat then rendered a busy session
    // over a page served idle, and its Stop button over the page's Send left a Send that never
    // came back.)
    await box.fill("");
    let release = () => {};
    const held = new Promise<void>((resolve) => release = resolve);
    await page.route("**/islands/Chat.js", async (route) => {
      await held;
      await route.continue();
    });
    await page.reload({ waitUntil: "commit" });
    // A minute's reply: Stop ends it once the chat has taken over.
    app.llm.enqueue({ text: "word ".repeat(600), chunkSize: 5, chunkDelayMs: 100 });
    const sessionId = new URL(page.url()).pathname.split("/").at(-1)!;
    await postToOpencode(app.palot, `/session/${sessionId}/prompt_async`, app.projects.streaming, {
      parts: [{ type: "text", text: "Busy before the chat took over" }],
    });
    await waitFor(async () => {
      const statuses = await (await app.palot.fetch(
        `/api/opencode/session/status?directory=${encodeURIComponent(app.projects.streaming)}`,
      )).json();
      return statuses[sessionId]?.type === "busy";
    }, { timeoutMs: 30_000, message: "the session busy" });
    // Time for the other islands' chunks to arrive: none takes over the page without the chat.
    await page.waitForTimeout(1_000);
    assert.equal(await page.locator("[data-island][data-hydrated]").count(), 0);
    release();
    await islandReady(page, "Chat");
    await page.getByRole("button", { name: "Stop" }).click();
    await page.getByRole("button", { name: "Stop" }).waitFor({
      state: "detached",
      timeout: 15_000,
    });
    await box.fill("Sent after the takeover");
    await sendEnabled.waitFor({ timeout: 10_000 });
    assert.deepEqual(
      await page.locator("form.composer button").allInnerTexts(),
      ["Attach", "Send"],
    );
    await page.unroute("**/islands/Chat.js");
  },
);

browserTest("a permission is approved and one denied; a question is answered", async () => {
  await using app = await stack.use(["asking"], { config: { permission: { bash: "ask" } } });
  const page = await app.newPage();
  const projectId = await registerProject(app, app.projects.asking);
  await openNewChat(app, page, projectId);

  app.llm.enqueue(
    {
      toolCalls: [{
        name: "bash",
        arguments: { command: "echo approved-output", description: "Print a word" },
      }],
    },
    { text: "First done." },
  );
  await send(page, "Run the first command");
  const card = page.getByRole("group", { name: "Permission request" });
  await card.waitFor({ timeout: 15_000 });
  assert.match(await card.innerText(), /bash/);
  assert.match(await card.innerText(), /echo approved-output/);
  await page.getByRole("navigation", { name: "Projects" }).getByText("needs you").waitFor();
  await app.screenshot(page, "permission");
  await card.getByRole("button", { name: "Allow once" }).click();
  await card.waitFor({ state: "detached", timeout: 15_000 });
  await assistant(page).getByText("First done.").waitFor({ timeout: 15_000 });
  const tool = page.locator('.part.tool[data-tool="bash"]').first();
  assert.match(await tool.innerText(), /completed/);
  assert.match(await tool.locator("pre").innerText(), /approved-output/);

  app.llm.enqueue(
    {
      toolCalls: [{
        name: "bash",
        arguments: { command: "echo denied-output", description: "Print another" },
      }],
    },
  );
  await send(page, "Run the second command");
  await card.waitFor({ timeout: 15_000 });
  await card.getByRole("button", { name: "Deny" }).click();
  await card.waitFor({ state: "detached", timeout: 15_000 });
  const denied = page.locator('.part.tool[data-tool="bash"]').nth(1);
  await denied.getByText("error", { exact: true }).waitFor({ timeout: 15_000 });
  await page.getByRole("button", { name: "Stop" }).waitFor({ state: "detached", timeout: 15_000 });
  assert.equal(app.llm.pending, 0, "a denied tool ends the turn");

  app.llm.enqueue(
    {
      toolCalls: [{
        name: "question",
        arguments: {
          questions: [{
            question: "Which colour should the button be?",
            header: "Colour",
            options: [{ label: "Blue", description: "Calm" }, {
              label: "Green",
              description: "Fresh",
            }],
          }],
        },
      }],
    },
    { text: "Green it is." },
  );
  await send(page, "Ask me something");
  const question = page.getByRole("form", { name: "Question from the agent" });
  await question.waitFor({ timeout: 15_000 });
  await question.getByLabel("Green").check();
  await question.getByRole("button", { name: "Submit" }).click();
  await question.waitFor({ state: "detached", timeout: 15_000 });
  await assistant(page).getByText("Green it is.").waitFor({ timeout: 15_000 });
  const toolResult = JSON.stringify(app.llm.requests.at(-1)!.messages);
  assert.match(toolResult, /Green/);
});

browserTest(
  "Markdown injection stays text; unknown sessions are 404; a phone-width screen works",
  async () => {
    await using app = await stack.use(["injection"]);
    const page = await app.newPage();
    const dialogs: string[] = [];
    page.on("dialog", (dialog) => {
      dialogs.push(dialog.message());
      dialog.dismiss();
    });
    const projectId = await registerProject(app, app.projects.injection);
    await openNewChat(app, page, projectId);
    app.llm.enqueue({
      text:
        'Look: <img src=x onerror="window.__pwned=1;alert(1)"> <script>window.__pwned=2</script>\n\n' +
        "[click](javascript:window.__pwned=3) and `<b>code</b>`",
    });
    await send(page, "Try to inject");
    await assistant(page).getByText("Look:").waitFor({ timeout: 15_000 });
    await page.reload();
    await assistant(page).getByText("Look:").waitFor();
    assert.equal(
      await page.evaluate(() => (globalThis as { __pwned?: number }).__pwned),
      undefined,
    );
    assert.equal(await assistant(page).locator("img, script, b").count(), 0);
    assert.match(await assistant(page).innerText(), /<img src=x onerror=/);
    assert.deepEqual(dialogs, []);

    const missing = await page.goto(`${app.palot.url}/session/ses_does_not_exist`);
    assert.equal(missing?.status(), 404);
    await page.getByRole("heading", { name: "Not found" }).waitFor();

    const phone = await app.newPage({ width: 390, height: 844 });
    await phone.goto(`${app.palot.url}/project/${projectId}/new`);
    const nav = phone.getByRole("navigation", { name: "Projects" });
    assert.equal(await nav.isVisible(), false, "the sidebar is folded away");
    await phone.getByText("Projects and sessions").click();
    await nav.waitFor({ state: "visible" });
    await phone.getByText("Close", { exact: true }).click();
    await nav.waitFor({ state: "hidden" });
    await phone.locator('[role=combobox][aria-label="Agent"]:not([disabled])').waitFor({
      timeout: 15_000,
    });
    const box = phone.getByLabel("Message");
    const boxSize = await box.boundingBox();
    assert.ok(
      boxSize && boxSize.width > 300 && boxSize.x >= 0 && boxSize.x + boxSize.width <= 390,
      "fits the screen",
    );
    app.llm.enqueue({ text: "Small screens work." });
    await send(phone, "Hello from a phone");
    await assistant(phone).getByText("Small screens work.").waitFor({ timeout: 15_000 });
    const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - innerWidth);
    assert.ok(overflow <= 1, `no sideways scrolling (${overflow}px)`);
    await app.screenshot(phone, "phone");
  },
);

stack.stopAfterAll();
