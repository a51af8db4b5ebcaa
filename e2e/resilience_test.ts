/** Palot itself restarted under an open page; session actions; the keyboard help. */

import assert from "node:assert/strict";
import { startPalot } from "../testing/palot.ts";
import { waitFor } from "../testing/world.ts";
import { browserTest, openNewChat, registerProject, startApp } from "./harness.ts";

browserTest(
  "the open page reconnects by itself when Palot restarts, and prompts work again",
  async () => {
    await using app = await startApp({ projects: ["alpha"] });
    const projectId = await registerProject(app, app.projects.alpha);
    const page = await app.newPage();
    await openNewChat(app, page, projectId);
    app.llm.enqueue({ text: "Before the restart." });
    await page.getByLabel("Message").fill("First");
    await page.getByLabel("Message").press("Enter");
    await page.getByText("Before the restart.").waitFor({ timeout: 15_000 });
    const url = page.url();

    assert.equal((await app.palot.stop("SIGTERM")).code, 0);
    const status = page.getByRole("status");
    await status.filter({ hasText: "Reconnecting…" }).waitFor({ timeout: 15_000 });
    await using restarted = await startPalot(app.world, { port: app.palot.port });
    await waitFor(
      async () => (await (await restarted.fetch("/api/opencode")).json()).status === "ready",
      {
        timeoutMs: 60_000,
        message: "the restarted Palot's OpenCode",
      },
    );
    await status.filter({ hasText: "Connected" }).waitFor({ timeout: 30_000 });
    assert.equal(page.url(), url, "no reload was needed");
    app.llm.enqueue({ text: "After the restart." });
    await page.getByLabel("Message").fill("Second");
    await page.getByLabel("Message").press("Enter");
    await page.getByText("After the restart.").waitFor({ timeout: 15_000 });
    assert.equal(
      await page.getByText("Before the restart.").count(),
      1,
      "the history is still there, once",
    );
  },
);

browserTest(
  "rename and delete a session; keyboard shortcuts: help, composer, new session",
  async () => {
    await using app = await startApp({ projects: ["alpha"] });
    const projectId = await registerProject(app, app.projects.alpha);
    const page = await app.newPage();
    page.on("dialog", (dialog) => dialog.accept());
    await openNewChat(app, page, projectId);

    await page.keyboard.press("?");
    const help = page.getByRole("dialog", { name: "Keyboard shortcuts" });
    await help.waitFor();
    assert.match(await help.innerText(), /Stop the agent/);
    assert.match(await help.innerText(), /Ctrl\+K/);
    const helpBox = await help.boundingBox();
    assert.ok(helpBox && helpBox.width <= 480 && helpBox.height < 500, "a small panel");
    await page.keyboard.press("Escape");
    await help.waitFor({ state: "detached" });
    await page.getByRole("heading", { level: 1 }).click();
    await page.keyboard.press("/");
    assert.equal(await page.evaluate(() => document.activeElement?.id), "composer-message");

    app.llm.enqueue({ text: "Noted." });
    await page.keyboard.type("Remember this");
    await page.keyboard.press("Enter");
    await page.getByText("Noted.").waitFor({ timeout: 15_000 });
    // The tab's title follows the session's (it is no longer "New session · …").
    await waitFor(async () => !(await page.title()).startsWith("New session"), {
      message: "the tab's title after the first Send",
    });
    await page.getByRole("button", { name: "Rename" }).click();
    // The field takes the focus once drawn (an effect after the render).
    await page.waitForFunction(
      () => document.activeElement?.getAttribute("name") === "title",
      null,
      {
        timeout: 5_000,
      },
    ).catch(() => {
      throw new Error("the Rename field has the focus");
    });
    await page.getByLabel("Session title").fill("Renamed by the test");
    await page.getByRole("button", { name: "Save" }).click();
    await page.getByRole("heading", { name: "Renamed by the test" }).waitFor();
    await waitFor(async () => (await page.title()).startsWith("Renamed by the test · "), {
      message: "the tab's title after Rename",
    });
    await page.getByRole("navigation", { name: "Projects" }).getByText("Renamed by the test")
      .waitFor();
    // The title gets the sidebar row's width; the session's figures go under it.
    const navRow = page.getByRole("navigation", { name: "Projects" }).getByRole("listitem")
      .filter({ hasText: "Renamed by the test" }).last();
    const widths = await navRow.evaluate((item) => ({
      row: item.clientWidth,
      title: item.querySelector("a")!.clientWidth,
    }));
    assert.ok(widths.title >= widths.row * 0.6, `title ${widths.title} px of ${widths.row} px`);

    await page.getByRole("heading", { name: "Renamed by the test" }).click();
    await page.keyboard.press("n");
    await page.waitForURL(new RegExp(`/project/${projectId}/new$`));
    await page.getByLabel("Message").waitFor();
    await page.goBack();
    await page.getByRole("button", { name: "Delete" }).click();
    await page.waitForURL(new RegExp(`/project/${projectId}$`), { timeout: 15_000 });
    assert.equal(await page.getByRole("main").getByText("Renamed by the test").count(), 0);
    await page.getByRole("main").getByText("No sessions yet").waitFor();
  },
);
