/**
 * A provider that cannot be reached (the model's server is down, no network): the chat names the
 * provider and links to Settings while OpenCode retries, stops the turn after a few attempts
 * rather than retrying for ever, and keeps saying what failed (not an empty block). With no
 * provider of one's own, the home page and a new chat say so before the first Send.
 */

import assert from "node:assert/strict";
import { waitFor } from "../testing/world.ts";
import { browserTest, openNewChat, registerProject, send, startApp } from "./harness.ts";
import { modelField } from "./model_picker.ts";

browserTest(
  "an unreachable provider is named, with Settings, and not retried for ever",
  async () => {
    await using app = await startApp({ projects: ["alpha"] });
    const projectId = await registerProject(app, app.projects.alpha);
    const page = await app.newPage();
    await openNewChat(app, page, projectId);
    await app.llm.close(); // the model's server goes away: connections are refused
    await send(page, "Hello, is anyone there?");
    const alert = page.getByRole("alert").filter({ hasText: "could not be reached" });
    await alert.waitFor({ timeout: 60_000 });
    await alert.getByRole("link", { name: "Settings" }).waitFor();
    await alert.getByText("Palot stopped retrying").waitFor({ timeout: 120_000 });
    await page.getByRole("button", { name: "Stop" }).waitFor({
      state: "detached",
      timeout: 30_000,
    });
    await alert.getByText("Mock", { exact: false }).waitFor();
  },
);

browserTest(
  "with no provider of one's own, the home page and a new chat say so, with Settings",
  async () => {
    // No provider configured: OpenCode offers only OpenCode Zen's free models.
    await using app = await startApp({
      projects: ["alpha"],
      world: { config: { provider: {}, model: undefined, small_model: undefined } },
    });
    const page = await app.newPage();
    const homeNote = page.getByRole("note").filter({
      hasText: "Connect a model provider to start",
    });
    await waitFor(async () => {
      await page.goto(app.palot.url);
      return await homeNote.count() === 1;
    }, { timeoutMs: 60_000, message: "the home page's note" });
    assert.equal(
      await homeNote.getByRole("link", { name: "Settings" }).getAttribute("href"),
      "/settings",
    );
    await app.screenshot(page, "first-run-home");

    const projectId = await registerProject(app, app.projects.alpha);
    await openNewChat(app, page, projectId);
    const note = page.getByRole("note").filter({ hasText: "No model provider is connected yet" });
    await note.waitFor({ timeout: 30_000 });
    const model = await modelField(page).inputValue();
    assert.ok((await note.innerText()).includes(model), `the note names ${model}`);
    assert.equal(
      await note.getByRole("link", { name: "Settings" }).getAttribute("href"),
      "/settings",
    );
    await app.screenshot(page, "first-run-chat");
    // Settings, where the notes lead: popular providers first, with a filter.
    await note.getByRole("link", { name: "Settings" }).click();
    await page.getByRole("searchbox", { name: "Filter providers" }).waitFor({ timeout: 60_000 });
    await app.screenshot(page, "first-run-settings");
  },
);
