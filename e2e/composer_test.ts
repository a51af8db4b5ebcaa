/**
 * The composer against the real opencode and the scripted fake LLM (issue 17): slash commands
 * reach the model as their expanded template, an @file mention as the file's content, an attached
 * image as an image; a shell command's output appears as a tool card; Up/Down walk the project's
 * prompts; and bad input (a rejected command, a file that vanished, a file over the limit, a shell
 * command while the agent is busy) says why and keeps the draft.
 */

import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { waitFor } from "../testing/world.ts";
import { browserTest, islandReady, registerProject, startApp } from "./harness.ts";

/** A 1×1 PNG. */
const PNG_BASE64 =
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==";

const assistant = (page: Page) => page.locator("article.message.assistant");
const lastRequest = (requests: { messages: unknown }[]) =>
  JSON.stringify(requests.at(-1)?.messages ?? "");

/**
 * Waits for the toolbar; on a loaded machine OpenCode may be restarted while the page loads and the
 * toolbar then says it cannot load, so the page is loaded again once it is back (at most 3 times).
 */
async function toolbarReady(page: Page, logs: string[]) {
  for (let attempt = 1;; attempt++) {
    const ready = page.locator('[role=combobox][aria-label="Agent"]:not([disabled])');
    const failed = page.getByRole("alert").filter({ hasText: "Cannot load agents and models" });
    await ready.or(failed).first().waitFor({ timeout: 90_000 }).catch(() => {});
    if (await ready.count()) return;
    if (attempt === 4) throw new Error(`The toolbar did not load:\n${logs.slice(-15).join("\n")}`);
    await page.getByRole("status").filter({ hasText: "Connected" }).waitFor({ timeout: 90_000 });
    await page.waitForTimeout(3_000);
    await page.reload();
  }
}

async function idle(page: Page) {
  await page.getByRole("button", { name: "Stop" }).waitFor({ state: "detached", timeout: 60_000 });
}

browserTest(
  "the composer runs commands, mentions files, attaches, runs shell, walks history",
  async () => {
    await using app = await startApp({
      projects: ["alpha"],
      world: {
        config: {
          command: {
            greet: { description: "Say hi to someone", template: "Greet $ARGUMENTS warmly" },
            broken: {
              description: "Names an agent that does not exist",
              template: "x",
              agent: "nobody",
            },
          },
        },
      },
    });
    const alpha = app.projects.alpha;
    await Deno.writeTextFile(join(alpha, "notes.txt"), "SECRET-CONTENT-42\n");
    await Deno.writeTextFile(join(alpha, "doomed.txt"), "soon gone\n");
    const page = await app.newPage();
    const errors: string[] = [];
    page.on("pageerror", (error) => errors.push(error.message));
    const projectId = await registerProject(app, alpha);
    // The project's first requests make OpenCode load its instance: done here, where a slow machine
    // can be waited for, rather than under the page's toolbar.
    await waitFor(async () => {
      for (const path of ["config/providers", "agent", "command"]) {
        const response = await app.palot.fetch(
          `/api/opencode/${path}?directory=${encodeURIComponent(alpha)}`,
        );
        await response.body?.cancel();
        if (!response.ok) return false;
      }
      return true;
    }, { timeoutMs: 180_000, message: "OpenCode's instance for the project" });
    await page.goto(`${app.palot.url}/project/${projectId}/new`);
    await page.getByRole("status").filter({ hasText: "Connected" }).waitFor({ timeout: 60_000 });
    await toolbarReady(page, app.palot.logs);
    const box = page.getByLabel("Message");
    const alert = (text: string) =>
      page.getByRole("alert").filter({ hasText: text }).waitFor({ timeout: 60_000 });

    // Slash commands: a listbox named by aria-activedescendant; Escape closes it, text kept.
    await box.pressSequentially("/gre");
    const commands = page.getByRole("listbox", { name: "Commands" });
    const greet = commands.getByRole("option", { name: /\/greet/ });
    await greet.waitFor({ timeout: 30_000 });
    assert.match(await greet.innerText(), /Say hi to someone/);
    assert.equal(await box.getAttribute("aria-activedescendant"), await greet.getAttribute("id"));
    await box.press("Escape");
    await commands.waitFor({ state: "detached" });
    assert.equal(await box.inputValue(), "/gre");
    await box.fill("");
    await box.pressSequentially("/gre");
    await greet.waitFor();
    await box.press("Tab");
    assert.equal(await box.inputValue(), "/greet ");
    await box.pressSequentially("Bob");
    app.llm.enqueue({ text: "Hello Bob!" });
    await box.press("Enter");
    await page.waitForURL(/\/session\/ses_/, { timeout: 60_000 });
    await assistant(page).getByText("Hello Bob!").waitFor({ timeout: 60_000 });
    assert.ok(lastRequest(app.llm.requests).includes("Greet Bob warmly"), "the expanded template");
    assert.equal(await box.inputValue(), "");
    // The message shows the command as typed; the expanded template is folded under it.
    const typed = page.locator(".message.user .command-invocation");
    await typed.filter({ hasText: "/greet Bob" }).waitFor();
    const template = page.locator(".message.user details.command-template");
    assert.equal(await template.getAttribute("open"), null, "folded");
    assert.equal(await template.getByText("Greet Bob warmly").isVisible(), false);
    await template.locator("summary").click();
    await template.getByText("Greet Bob warmly").waitFor();
    await idle(page);

    // A /word that is no command is plain text.
    app.llm.enqueue({ text: "Plain reply." });
    await box.fill("/nosuch thing");
    await box.press("Enter");
    await assistant(page).getByText("Plain reply.").waitFor({ timeout: 60_000 });
    assert.ok(lastRequest(app.llm.requests).includes("/nosuch thing"));
    await idle(page);

    // A command the server rejects: its message, and the draft stays.
    const asked = app.llm.requests.length;
    await box.fill("/broken now");
    await box.press("Enter");
    await alert("OpenCode refused /broken");
    assert.equal(await box.inputValue(), "/broken now");
    assert.equal(app.llm.requests.length, asked);

    // @file: the chosen file becomes a chip and reaches the model as its content.
    await box.fill("");
    await box.pressSequentially("Summarise @note");
    const files = page.getByRole("listbox", { name: "Files" });
    await files.getByRole("option", { name: "notes.txt" }).waitFor({ timeout: 30_000 });
    await box.press("Enter");
    assert.equal(await box.inputValue(), "Summarise @notes.txt ");
    const chips = page.getByRole("list", { name: "Attached files" });
    await chips.getByText("@notes.txt").waitFor();
    app.llm.enqueue({ text: "Read it." });
    await box.press("Enter");
    await assistant(page).getByText("Read it.").waitFor({ timeout: 60_000 });
    assert.ok(lastRequest(app.llm.requests).includes("SECRET-CONTENT-42"), "the file's content");
    await page.locator("article.message.user .file-chip", { hasText: "@notes.txt" }).waitFor();
    await idle(page);

    // A mentioned file that vanished before Send: nothing is sent, the draft stays.
    await box.fill("");
    await box.pressSequentially("Check @doom");
    await files.getByRole("option", { name: "doomed.txt" }).waitFor({ timeout: 30_000 });
    await box.press("Enter");
    await Deno.remove(join(alpha, "doomed.txt"));
    const beforeVanished = app.llm.requests.length;
    await box.press("Enter");
    await alert('"doomed.txt" no longer exists');
    assert.equal(await box.inputValue(), "Check @doomed.txt ");
    assert.equal(app.llm.requests.length, beforeVanished);
    await chips.getByRole("button", { name: "Remove doomed.txt" }).click();

    // Attach: an image becomes a chip with a thumbnail; a file over 10 MB is refused at once.
    await box.fill("What is in this picture?");
    const attach = async (file: { name: string; mimeType: string; buffer: Buffer } | string) => {
      const chooser = page.waitForEvent("filechooser");
      await page.getByRole("button", { name: "Attach" }).click();
      await (await chooser).setFiles(file);
    };
    const png = Buffer.from(PNG_BASE64, "base64");
    await attach({ name: "dot.png", mimeType: "image/png", buffer: png });
    await chips.getByText("dot.png").waitFor();
    assert.equal(await chips.locator("img.chip-thumb").count(), 1);
    // From disk (a sparse file): the browser reads it itself, nothing 11 MB crosses the protocol.
    const huge = join(app.world.root, "huge.bin");
    await Deno.writeFile(huge, new Uint8Array());
    await Deno.truncate(huge, 11 * 1024 * 1024);
    await attach(huge);
    await alert('"huge.bin" is 11.0 MB: attachments are limited to 10.0 MB each');
    assert.equal(await chips.getByText("huge.bin").count(), 0);
    app.llm.enqueue({ text: "A single dot." });
    await box.press("Enter");
    await assistant(page).getByText("A single dot.").waitFor({ timeout: 60_000 });
    const withImage = lastRequest(app.llm.requests);
    assert.ok(withImage.includes(`data:image/png;base64,${PNG_BASE64}`), withImage.slice(-600));
    const pictureMessage = page.locator("article.message.user").last();
    await pictureMessage.locator("img.file-thumb").waitFor();
    assert.ok(!(await pictureMessage.innerText()).includes("data:"), "no data URL as text");
    await idle(page);

    // Paste and drop add attachments too; a chip can be removed.
    await box.fill("Read the pasted file");
    await page.evaluate(() => {
      const data = new DataTransfer();
      data.items.add(new File(["PASTED-WORDS-7"], "pasted.txt", { type: "text/plain" }));
      document.querySelector("#composer-message")!.dispatchEvent(
        new ClipboardEvent("paste", { clipboardData: data, bubbles: true, cancelable: true }),
      );
    });
    await chips.getByText("pasted.txt").waitFor();
    await page.evaluate(() => {
      const data = new DataTransfer();
      data.items.add(new File(["DROPPED-WORDS"], "dropped.txt", { type: "text/plain" }));
      const form = document.querySelector("form.composer")!;
      for (const type of ["dragover", "drop"]) {
        form.dispatchEvent(
          new DragEvent(type, { dataTransfer: data, bubbles: true, cancelable: true }),
        );
      }
    });
    await chips.getByText("dropped.txt").waitFor();
    await chips.getByRole("button", { name: "Remove dropped.txt" }).click();
    await chips.getByText("dropped.txt").waitFor({ state: "detached" });
    app.llm.enqueue({ text: "Pasted ok." });
    await box.press("Enter");
    await assistant(page).getByText("Pasted ok.").waitFor({ timeout: 60_000 });
    assert.ok(lastRequest(app.llm.requests).includes("PASTED-WORDS-7"));
    assert.ok(!lastRequest(app.llm.requests).includes("DROPPED-WORDS"));
    await idle(page);

    // Shell: the output appears as a tool card; while the agent is busy it is refused, draft kept.
    await box.fill("!echo shell-out-7");
    await box.press("Enter");
    const shell = page.locator('.part.tool[data-tool="bash"]').last();
    await shell.getByText("completed", { exact: true }).waitFor({ timeout: 60_000 });
    // Short output is shown as it is (longer output folds behind Show all).
    assert.match(await shell.locator("pre").innerText(), /shell-out-7/);
    assert.equal(await box.inputValue(), "");
    // The user's message says what was run (OpenCode stores it with a synthetic text only).
    await page.locator(".message.user .shell-command").filter({ hasText: "!echo shell-out-7" })
      .waitFor();
    await idle(page);
    app.llm.enqueue({ text: "word ".repeat(300), chunkSize: 5, chunkDelayMs: 50 });
    await box.fill("Talk for a while");
    await box.press("Enter");
    await page.getByRole("button", { name: "Stop" }).waitFor({ timeout: 60_000 });
    await box.fill("!echo while-busy");
    await box.press("Enter");
    await alert("The agent is busy, so the shell command was not run");
    assert.equal(await box.inputValue(), "!echo while-busy");
    await page.getByRole("button", { name: "Stop" }).click();
    await idle(page);
    app.llm.clear();

    // History: Up and Down at the start of an empty box, most recent first; after a reload too.
    // Each step resolves after the key (the first reads the project's prompts from /api/prompts),
    // so the page waits for the box to change; the caret must be at the start as soon as the text
    // is there, before the next frame, or a quick second Up is not a history step (it was once
    // placed after the frame). The key is sent in the page, so the check runs right after it.
    const walk = async (key: "ArrowUp" | "ArrowDown", expected: string) => {
      const shown = await page.evaluate(async ({ key, previous }) => {
        const box = document.querySelector("#composer-message") as HTMLTextAreaElement;
        box.dispatchEvent(new KeyboardEvent("keydown", { key, bubbles: true, cancelable: true }));
        const deadline = Date.now() + 10_000;
        while (box.value === previous && Date.now() < deadline) {
          await new Promise((resolve) => setTimeout(resolve));
        }
        return { value: box.value, caret: box.selectionStart };
      }, { key, previous: await box.inputValue() });
      assert.deepEqual(shown, { value: expected, caret: 0 }, `after ${key}`);
    };
    await box.fill("");
    await walk("ArrowUp", "Talk for a while");
    await walk("ArrowUp", "!echo shell-out-7");
    await walk("ArrowDown", "Talk for a while");
    await walk("ArrowDown", "");
    await page.reload();
    await toolbarReady(page, app.palot.logs);
    await islandReady(page, "Chat");
    await box.fill("");
    await box.press("ArrowUp");
    await page.waitForFunction(
      () => (document.querySelector("#composer-message") as HTMLTextAreaElement).value !== "",
    );
    assert.equal(await box.inputValue(), "Talk for a while", "read from OpenCode's storage");
    assert.deepEqual(errors, []);
  },
);
