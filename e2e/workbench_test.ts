/**
 * The session page as a workbench, in a real browser against the real opencode (the fake LLM
 * calling OpenCode's own tools): the side pane's tabs (`Changes`, `Files`, `Terminal`, `Todo`,
 * `Sub-agents`), a file opened from the tree, from `Find file`, from a tool card and from the
 * Changes list, `Mention`, the todo list written by the agent and kept live with its progress, a
 * sub-agent's session opened in place and back, `Export` as Markdown and JSON, the pane's layout
 * at 1400, 1000 and 390 px (screenshots in both themes), its width, tab and open state kept, and
 * axe with the pane open.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { waitFor } from "../testing/world.ts";
import { postToOpencode } from "../testing/palot.ts";
import { assertAccessible } from "./axe.ts";
import { browserTest, islandReady, type RunningApp, send, sharedApp } from "./harness.ts";

const stack = sharedApp();

/** A session of `directory` created through the API, its page open and live. */
async function openSession(app: RunningApp, page: Page, directory: string): Promise<string> {
  const session = await waitFor(
    () => postToOpencode(app.palot, "/session", directory, {}).catch(() => undefined),
    { timeoutMs: 120_000, message: "a session from the project's OpenCode instance" },
  );
  await page.goto(`${app.palot.url}/session/${session.id}`);
  await page.getByRole("status").filter({ hasText: "Connected" }).waitFor({ timeout: 60_000 });
  await islandReady(page, "Chat");
  return session.id;
}

const box = async (page: Page, selector: string) => {
  const found = await page.locator(selector).first().boundingBox();
  assert.ok(found, `${selector} is on screen`);
  return found;
};

browserTest(
  "the pane's tabs: files from the tree, Find file and a tool card, todos live, terminal, layout",
  async () => {
    await using app = await stack.use(["bench"]);
    const dir = app.projects.bench;
    await Deno.mkdir(join(dir, "src"));
    await Deno.writeTextFile(
      join(dir, "big.ts"),
      Array.from({ length: 3_000 }, (_, i) => `export const line${i + 1} = ${i + 1};\n`).join(""),
    );
    await Deno.writeTextFile(join(dir, "logo.bin"), "\u0000\u0001\u0002binary");
    await app.world.run("git", ["add", "."], dir);
    await app.world.run("git", ["commit", "-q", "-m", "files"], dir);
    await Deno.writeTextFile(join(dir, "README.md"), "# bench, changed\n");

    const page = await app.newPage({ width: 1400, height: 900 });
    const errors: string[] = [];
    page.on("pageerror", (error) => errors.push(error.message));
    const scripts: string[] = [];
    page.on("request", (request) => {
      if (request.resourceType() === "script") scripts.push(request.url());
    });
    const sessionId = await openSession(app, page, dir);
    assert.ok(!scripts.some((url) => /files_tab|terminals/.test(url)), "no pane code before");

    // The agent writes its plan, a file, reads the big one at a line, and updates its plan.
    const hello = join(dir, "src", "hello.ts");
    app.llm.enqueue(
      {
        toolCalls: [{
          name: "todowrite",
          arguments: {
            todos: [
              { content: "Write hello", status: "in_progress", priority: "high" },
              { content: "Read big", status: "pending", priority: "medium" },
              { content: "Report", status: "pending", priority: "low" },
            ],
          },
        }],
      },
      {
        toolCalls: [{
          name: "write",
          arguments: { filePath: hello, content: 'export const hello = "world";\n' },
        }],
      },
      { toolCalls: [{ name: "read", arguments: { filePath: join(dir, "big.ts"), offset: 1500 } }] },
      {
        toolCalls: [{
          name: "todowrite",
          arguments: {
            todos: [
              { content: "Write hello", status: "completed", priority: "high" },
              { content: "Read big", status: "in_progress", priority: "medium" },
              { content: "Report", status: "pending", priority: "low" },
            ],
          },
        }],
      },
      { text: "Halfway there." },
    );
    await send(page, "Make hello");
    await page.locator("article.message.assistant").getByText("Halfway there.").waitFor({
      timeout: 60_000,
    });

    // Todo: the progress on its button, and the list with each state.
    const todoButton = page.getByRole("button", { name: "Todo 1 of 3" });
    await todoButton.waitFor({ timeout: 15_000 });
    await todoButton.scrollIntoViewIfNeeded();
    // The turn has ended (Stop, in the composer's row, is gone) before anything is measured.
    await page.getByRole("button", { name: "Stop" }).waitFor({ state: "detached" });
    const toolbarBefore = await box(page, ".toolbar");
    const composerBefore = await box(page, "form.composer");
    await todoButton.click();
    const pane = page.getByRole("region", { name: "Workbench" });
    await pane.waitFor();
    const todoTab = pane.getByRole("tab", { name: "Todo 1 of 3" });
    assert.equal(await todoTab.getAttribute("aria-selected"), "true");
    const todos = pane.getByRole("list", { name: "Todo list" });
    assert.match(await todos.innerText(), /Write hello\s+Done/);
    assert.match(await todos.innerText(), /Read big\s+In progress/);
    assert.match(await todos.innerText(), /Report\s+Pending/);
    // Nothing moved up or down when the pane opened.
    const toolbarAfter = await box(page, ".toolbar");
    const composerAfter = await box(page, "form.composer");
    // The toolbar is part of the composer, pinned to the bottom: a narrower chat may wrap the
    // composer's row (it grows upwards), the toolbar staying in it.
    for (
      const [toolbar, composer] of [[toolbarBefore, composerBefore], [toolbarAfter, composerAfter]]
    ) {
      assert.ok(
        toolbar.y >= composer.y && toolbar.y + toolbar.height <= composer.y + composer.height,
        `the toolbar in the composer: ${JSON.stringify({ toolbar, composer })}`,
      );
    }
    assert.equal(
      Math.round(composerAfter.y + composerAfter.height),
      Math.round(composerBefore.y + composerBefore.height),
    );
    // Wide: the pane is beside the chat, not over it.
    const paneBox = await box(page, "#workbench");
    const chatBox = await box(page, ".chat");
    assert.ok(chatBox.x + chatBox.width <= paneBox.x + 1, "the chat ends where the pane starts");
    await app.screenshot(page, "workbench");

    // Live: the next turn updates the list, and the header shows the plan while the agent works.
    app.llm.enqueue(
      {
        toolCalls: [{
          name: "todowrite",
          arguments: {
            todos: [
              { content: "Write hello", status: "completed", priority: "high" },
              { content: "Read big", status: "completed", priority: "medium" },
              { content: "Report", status: "cancelled", priority: "low" },
            ],
          },
        }],
      },
      { text: "All done, and the report is not needed.", chunkSize: 2, chunkDelayMs: 60 },
    );
    await send(page, "Finish");
    await page.locator(".chat-head .todo-progress-head").getByText("2 of 2").waitFor({
      timeout: 30_000,
    });
    await pane.getByRole("tab", { name: "Todo 2 of 2" }).waitFor();
    assert.match(await todos.innerText(), /Report\s+Cancelled/);
    await page.locator("article.message.assistant").getByText("the report is not needed.")
      .waitFor({ timeout: 60_000 });
    await page.locator(".chat-head .todo-progress-head").waitFor({ state: "detached" });

    // Files: the tree, with git's marks, folders read as they open.
    await pane.getByRole("tab", { name: "Files" }).click();
    const tree = pane.getByRole("list", { name: "Project files" });
    await tree.getByRole("button", { name: "README.md" }).waitFor({ timeout: 30_000 });
    assert.ok(scripts.some((url) => url.includes("files_tab")), "the Files code, loaded now");
    await tree.locator("li").filter({ hasText: "README.md" }).getByText("(modified)")
      .waitFor({ state: "attached" });
    assert.match(
      await tree.locator("li").filter({ hasText: "README.md" }).innerText(),
      /README\.md\s*M\s*\(modified\)/,
    );
    assert.equal(await tree.getByRole("button", { name: "hello.ts" }).count(), 0, "src is closed");
    assert.equal(await tree.getByRole("button", { name: ".git/" }).count(), 0, "git's own folder");
    await tree.getByRole("button", { name: "src/" }).click();
    await tree.getByRole("button", { name: "hello.ts" }).click();
    const contents = pane.getByRole("region", { name: "Contents of src/hello.ts" });
    await contents.getByText('export const hello = "world";').waitFor();
    assert.equal(await contents.locator(".file-line-number").first().innerText(), "1");
    assert.ok(await contents.locator(".hljs-keyword").count() > 0, "highlighted");

    // Mention: the file goes into the composer as an @file.
    await pane.getByRole("button", { name: "Mention" }).click();
    assert.equal(await page.getByLabel("Message", { exact: true }).inputValue(), "@src/hello.ts ");
    await page.locator(".chip.mention").getByText("@src/hello.ts").waitFor();
    await page.getByLabel("Message", { exact: true }).fill("");

    // A binary file says so.
    await pane.getByRole("button", { name: "Back to files" }).click();
    await tree.getByRole("button", { name: "logo.bin" }).click();
    await pane.getByText(/This is a binary file/).waitFor();
    await pane.getByRole("button", { name: "Back to files" }).click();

    // Find file, and a long file: only the lines in view are drawn.
    await pane.getByRole("searchbox", { name: "Find file" }).fill("big");
    await pane.getByRole("list", { name: "Files found" }).getByRole("button", { name: "big.ts" })
      .click();
    const big = pane.getByRole("region", { name: "Contents of big.ts" });
    await big.getByText("export const line1 = 1;").waitFor();
    assert.ok(await big.locator(".file-line").count() < 200, "only the lines in view are drawn");
    await big.evaluate((element) => element.scrollTop = element.scrollHeight);
    await big.getByText("export const line3000 = 3000;").waitFor();

    // A tool card's file name opens the file at its line (its run of tool calls opened first).
    await page.locator("details.tool-run:not([open]) > summary").first().click();
    await page.locator('.part.tool[data-tool="read"] button.file-link').click();
    await big.locator('.file-line.target[data-line="1500"]').waitFor();
    assert.match(await big.locator(".file-line.target").innerText(), /line1500 = 1500/);
    await page.locator('.part.tool[data-tool="write"] button.file-link').click();
    await pane.getByRole("region", { name: "Contents of src/hello.ts" }).waitFor();

    // Changes: the session's files, each opening its file in Files.
    await page.getByRole("button", { name: "Changes", exact: true }).click();
    const changes = page.getByRole("region", { name: "Changes" });
    const changed = changes.getByRole("listitem").filter({ hasText: "src/hello.ts" });
    await changed.waitFor({ timeout: 30_000 });
    await changed.getByRole("button", { name: "Open in Files" }).click();
    assert.equal(
      await pane.getByRole("tab", { name: "Files" }).getAttribute("aria-selected"),
      "true",
    );
    await pane.getByRole("region", { name: "Contents of src/hello.ts" }).waitFor();
    await assertAccessible(page, "a session page with its pane open on a file");

    // Terminal: a shell in the project's folder, in the pane.
    await page.getByRole("button", { name: "Terminal", exact: true }).click();
    const terminal = page.getByRole("region", { name: "Terminal", exact: true });
    await terminal.waitFor();
    await waitFor(
      async () => /\$ |# /.test(await terminal.locator(".xterm-rows").innerText()),
      { timeoutMs: 30_000, message: "the shell's prompt in the pane" },
    );
    const terminalBox = await terminal.boundingBox();
    assert.ok(terminalBox && terminalBox.height > 300, "the terminal fills the pane");
    await page.keyboard.press("Control+Backquote");
    await page.locator("#workbench").waitFor({ state: "hidden" });
    await page.keyboard.press("Control+Backquote");
    await terminal.waitFor();

    // Resized by keyboard; the width, tab and open state come back after a reload.
    await pane.getByRole("tab", { name: "Files" }).click();
    const separator = pane.getByRole("separator", { name: "Pane width" });
    const before = Number(await separator.getAttribute("aria-valuenow"));
    await separator.focus();
    await page.keyboard.press("ArrowLeft");
    await page.keyboard.press("ArrowLeft");
    const after = Number(await separator.getAttribute("aria-valuenow"));
    assert.equal(after, before + 48);
    assert.equal(Math.round((await box(page, "#workbench")).width), after);
    // Dragged with the pointer too.
    const handle = await box(page, ".pane-separator");
    await page.mouse.move(handle.x + 4, handle.y + 200);
    await page.mouse.down();
    await page.mouse.move(handle.x - 60, handle.y + 200, { steps: 4 });
    await page.mouse.up();
    const dragged = Number(await separator.getAttribute("aria-valuenow"));
    assert.ok(Math.abs(dragged - (after + 64)) <= 2, `dragged to ${dragged}, wanted ${after + 64}`);
    // Where the chat is when the page is parsed (before the pane's script has run) is where it
    // stays once the pane is back: the space beside it was kept from the start.
    await page.addInitScript(() =>
      document.addEventListener("DOMContentLoaded", () => {
        const chat = document.querySelector(".chat")!.getBoundingClientRect();
        (globalThis as { chatAtParse?: number[] }).chatAtParse = [chat.x, chat.width];
      })
    );
    await page.reload();
    await islandReady(page, "Chat");
    await pane.getByRole("tab", { name: "Files", selected: true }).waitFor();
    assert.equal(Number(await separator.getAttribute("aria-valuenow")), dragged);
    const chatNow = await box(page, ".chat");
    assert.deepEqual(
      await page.evaluate(() => (globalThis as { chatAtParse?: number[] }).chatAtParse),
      [chatNow.x, chatNow.width],
      "the chat did not move when the pane came back",
    );

    // Narrower: the pane opens over the chat.
    await page.setViewportSize({ width: 1000, height: 800 });
    const over = await box(page, "#workbench");
    const chatNarrow = await box(page, ".chat");
    assert.ok(over.x < chatNarrow.x + chatNarrow.width, "the pane is over the chat");
    await tree.getByRole("button", { name: "README.md" }).waitFor({ timeout: 30_000 });
    await app.screenshot(page, "workbench-narrow");
    // Phone: a full-screen sheet with its close button.
    await page.setViewportSize({ width: 390, height: 800 });
    const sheet = await box(page, "#workbench");
    assert.equal(Math.round(sheet.x), 0);
    assert.equal(Math.round(sheet.width), 390);
    await app.screenshot(page, "workbench-phone");
    await assertAccessible(page, "the pane as a sheet at phone width");
    await pane.getByRole("button", { name: "Close pane" }).click();
    await page.locator("#workbench").waitFor({ state: "hidden" });
    // Over the chat, the pane takes the focus when opened; Escape gives it back.
    const todoToggle = page.getByRole("button", { name: /^Todo/ });
    await todoToggle.click();
    await pane.getByRole("tab", { name: /^Todo/ }).waitFor();
    // The pane moves the focus once it has drawn (an effect after the render that shows it).
    await page.waitForFunction(() => document.activeElement?.getAttribute("role") === "tab", null, {
      timeout: 5_000,
    }).catch(() => {
      throw new Error("the focus is in the sheet");
    });
    await page.keyboard.press("Escape");
    await page.locator("#workbench").waitFor({ state: "hidden" });
    assert.equal(await todoToggle.evaluate((element) => element === document.activeElement), true);
    assert.deepEqual(errors, []);
    void sessionId;
  },
);

browserTest("the pane in the dark theme, at each width", async () => {
  await using app = await stack.use(["dark"]);
  const dir = app.projects.dark;
  const page = await app.newPage({ width: 1400, height: 900, theme: "dark" });
  await openSession(app, page, dir);
  app.llm.enqueue(
    {
      toolCalls: [{
        name: "todowrite",
        arguments: {
          todos: [
            { content: "Look at the README", status: "completed", priority: "high" },
            { content: "Explain it", status: "in_progress", priority: "medium" },
          ],
        },
      }],
    },
    { toolCalls: [{ name: "read", arguments: { filePath: join(dir, "README.md") } }] },
    { text: "It is a one-line README." },
  );
  await send(page, "Explain the README");
  await page.locator("article.message.assistant").getByText("one-line README").waitFor({
    timeout: 60_000,
  });
  await page.locator('.part.tool[data-tool="read"] button.file-link').click();
  const pane = page.getByRole("region", { name: "Workbench" });
  await pane.getByRole("region", { name: "Contents of README.md" }).getByText("# dark").waitFor();
  await app.screenshot(page, "workbench-dark");
  await assertAccessible(page, "the pane open on a file, dark");
  await pane.getByRole("tab", { name: "Todo 1 of 2" }).click();
  await page.setViewportSize({ width: 1000, height: 800 });
  await app.screenshot(page, "workbench-narrow-dark");
  await page.setViewportSize({ width: 390, height: 800 });
  await app.screenshot(page, "workbench-phone-dark");
  await assertAccessible(page, "the pane as a sheet at phone width, dark");
});

browserTest(
  "a sub-agent's session opens in the pane and back; Export as Markdown and JSON",
  async () => {
    await using app = await stack.use(["parent"]);
    const dir = app.projects.parent;
    const page = await app.newPage({ width: 1400, height: 900 });
    const sessionId = await openSession(app, page, dir);
    app.llm.enqueue(
      {
        toolCalls: [{
          name: "task",
          arguments: {
            description: "Survey files",
            prompt: "List what is here",
            subagent_type: "general",
          },
        }],
      },
      { text: "The sub-agent found a README." },
      {
        toolCalls: [{
          name: "edit",
          arguments: {
            filePath: join(dir, "README.md"),
            oldString: "# parent",
            newString: "# Parent project",
          },
        }],
      },
      { text: "The parent is done." },
    );
    // The edit tool wants the file read first in this session.
    await send(page, "Delegate a survey");
    await page.locator("article.message.assistant").getByText("The parent is done.").waitFor({
      timeout: 60_000,
    });

    // The pane lists the sub-agent (title, agent, status) and opens its session in place.
    const pane = page.getByRole("region", { name: "Workbench" });
    await page.getByRole("button", { name: "Changes", exact: true }).click();
    await pane.getByRole("tab", { name: "Sub-agents" }).click();
    const row = pane.getByRole("list", { name: "Sub-agent sessions" }).getByRole("listitem");
    await row.getByText("general", { exact: true }).waitFor({ timeout: 30_000 });
    assert.match(await row.innerText(), /Survey files/);
    assert.match(await row.innerText(), /idle/);
    await row.getByRole("button", { name: /Survey files/ }).click();
    const child = pane.getByRole("region", { name: /^Sub-agent: / });
    await child.getByText("The sub-agent found a README.").waitFor({ timeout: 30_000 });
    await child.getByRole("button", { name: /^← Back to / }).click();
    await row.first().waitFor();
    assert.equal(page.url().endsWith(sessionId), true, "still the parent's page");
    await assertAccessible(page, "the pane's sub-agents");

    // Export: Markdown for reading, JSON complete.
    const exported = async (format: "Markdown" | "JSON") => {
      await page.getByRole("button", { name: "Export", exact: true }).click();
      const [download] = await Promise.all([
        page.waitForEvent("download"),
        page.getByRole("group", { name: "Export as" }).getByRole("button", { name: format })
          .click(),
      ]);
      const path = await download.path();
      return { name: download.suggestedFilename(), text: await Deno.readTextFile(path) };
    };
    const markdown = await exported("Markdown");
    assert.match(markdown.name, /\.md$/);
    assert.match(markdown.text, /^# .+\n/);
    assert.match(markdown.text, /## User · .*\n\nDelegate a survey/);
    assert.match(markdown.text, /- \*\*task\*\* `Survey files`: completed/);
    assert.match(markdown.text, /- \*\*edit\*\* .*: (completed|error)/);
    assert.match(markdown.text, /The parent is done\./);
    const json = await exported("JSON");
    assert.match(json.name, /\.json$/);
    const parsed = JSON.parse(json.text);
    assert.equal(parsed.info.id, sessionId);
    const response = await app.palot.fetch(
      `/api/opencode/session/${sessionId}/message?directory=${encodeURIComponent(dir)}`,
    );
    const messages = await response.json();
    assert.deepEqual(
      parsed.messages,
      messages,
      "every message with every part, as OpenCode has them",
    );
  },
);

stack.stopAfterAll();
