/** Parts and tool cards in a real browser: an edit as a diff and a patch, reasoning, an attached file, the todo list, remembered choices. */

import assert from "node:assert/strict";
import { join } from "node:path";
import { postToOpencode } from "../testing/palot.ts";
import { browserTest, islandReady, openNewChat, registerProject, sharedApp } from "./harness.ts";
import { agentValue, chooseAgent } from "./agent_picker.ts";

const stack = sharedApp();

browserTest(
  "an edit shows as a diff and a patch; reasoning folds; an attached file shows; todos; remembered choices",
  async () => {
    await using app = await stack.use(["alpha"]);
    const readme = join(app.projects.alpha, "README.md");
    const projectId = await registerProject(app, app.projects.alpha);
    const page = await app.newPage();
    await openNewChat(app, page, projectId);

    app.llm.enqueue(
      {
        reasoning: "First I will plan the rename carefully.",
        toolCalls: [{
          name: "todowrite",
          arguments: {
            todos: [
              { id: "1", content: "Read the README", status: "completed", priority: "high" },
              { id: "2", content: "Rename the title", status: "in_progress", priority: "medium" },
            ],
          },
        }],
      },
      { toolCalls: [{ name: "read", arguments: { filePath: readme } }] },
      {
        toolCalls: [{
          name: "edit",
          arguments: { filePath: readme, oldString: "# alpha", newString: "# Alpha project" },
        }],
      },
      { text: "Edited." },
    );
    await page.getByLabel("Message").fill("Rename the title");
    await page.getByLabel("Message").press("Enter");
    await page.locator("article.message.assistant").getByText("Edited.").waitFor({
      timeout: 30_000,
    });

    // The todo list is in the pane's Todo tab, its progress on the button that opens it.
    await page.getByRole("button", { name: "Todo 1 of 2" }).click();
    const todos = page.getByRole("list", { name: "Todo list" });
    await todos.getByText("Rename the title").waitFor({ timeout: 10_000 });
    assert.match(await todos.innerText(), /Read the README\s+Done/i);
    await page.getByRole("button", { name: "Close pane" }).click();

    // Three tool calls in a row fold behind their summary, which opens in place.
    await page.locator("details.tool-run > summary").filter({ hasText: "3 tool calls" }).click();
    const diff = page.locator('.part.tool[data-tool="edit"]').getByLabel(/Changes to .*README\.md/);
    await diff.waitFor();
    assert.match(await diff.innerText(), /^- # alpha$/m);
    assert.match(await diff.innerText(), /^\+ # Alpha project$/m);
    assert.equal(await Deno.readTextFile(readme), "# Alpha project\n", "the real tool ran");

    // OpenCode records the step's file changes as a patch part (it arrives last: wait for it, so
    // nothing moves under the click below).
    await page.locator(".part.patch").filter({ hasText: "README.md" }).waitFor({ timeout: 10_000 });

    const reasoning = page.locator("details.part.reasoning").first();
    assert.equal(await reasoning.getAttribute("open"), null, "reasoning starts folded");
    assert.equal(await reasoning.getByText("plan the rename carefully").isVisible(), false);
    await reasoning.locator("summary").click();
    await reasoning.getByText("First I will plan the rename carefully.").waitFor();

    // A prompt from another client with an attached file shows the file on the user's message.
    const sessionId = new URL(page.url()).pathname.split("/").pop()!;
    app.llm.enqueue({ text: "Seen the file." });
    await postToOpencode(app.palot, `/session/${sessionId}/prompt_async`, app.projects.alpha, {
      parts: [
        { type: "text", text: "And this file?" },
        { type: "file", mime: "text/plain", filename: "README.md", url: `file://${readme}` },
      ],
    });
    await page.locator("article.message.user .part.file").filter({ hasText: "README.md" })
      .waitFor({ timeout: 15_000 });
    await page.getByText("Seen the file.").waitFor({ timeout: 15_000 });

    await chooseAgent(page, "plan");
    await page.reload();
    // The choice is kept in the tab (not known to the server, whose page shows the default):
    // it is applied once the chat is live.
    await islandReady(page, "Chat");
    await page.waitForFunction(
      () =>
        document.querySelector('[role=combobox][aria-label="Agent"]')?.getAttribute(
          "data-value",
        ) ===
          "plan",
      undefined,
      { timeout: 15_000 },
    ).catch(() => {}); // the assertion below says what was shown instead
    assert.equal(
      await agentValue(page),
      "plan",
      "the choice is remembered per project",
    );
  },
);

browserTest(
  "a sub-agent's permission request surfaces on the parent; its task card opens its session",
  async () => {
    await using app = await stack.use(["delegating"], {
      config: { permission: { bash: "ask" } },
    });
    const projectId = await registerProject(app, app.projects.delegating);
    const page = await app.newPage();
    await openNewChat(app, page, projectId);
    app.llm.enqueue(
      {
        toolCalls: [{
          name: "task",
          arguments: {
            description: "Count files",
            prompt: "Count the files here",
            subagent_type: "general",
          },
        }],
      },
      {
        toolCalls: [{
          name: "bash",
          arguments: { command: "ls | wc -l", description: "Count files" },
        }],
      },
      { text: "The child counted." },
      { text: "The parent is done." },
    );
    await page.getByLabel("Message").fill("Delegate this");
    await page.getByLabel("Message").press("Enter");
    const card = page.getByRole("group", { name: "Permission request" });
    await card.waitFor({ timeout: 30_000 });
    assert.match(await card.innerText(), /ls \| wc -l/);
    await card.getByRole("button", { name: "Allow once" }).click();
    await page.locator("article.message.assistant").getByText("The parent is done.").waitFor({
      timeout: 30_000,
    });
    const link = page.locator('.part.tool[data-tool="task"]').getByRole("link", {
      name: "Open the sub-agent's session",
    });
    await link.click();
    await page.getByText("sub-agent of").waitFor();
    await page.locator("article.message.assistant").getByText("The child counted.").waitFor();
  },
);

stack.stopAfterAll();
