/**
 * Notifications and what stands in for them: `Enable notifications` asks only when clicked; a
 * session of another project that finishes while another page is on screen shows a system
 * notification, an in-page notice and an unread mark (cleared once looked at); a permission
 * request puts `(1)` in the title and a dot on the icon; muted projects and the session on screen
 * do not notify; the settings are remembered.
 */

import assert from "node:assert/strict";
import { postToOpencode } from "../testing/palot.ts";
import { waitFor } from "../testing/world.ts";
import { browserTest, registerProject, startApp } from "./harness.ts";
import {
  addTabControls,
  clickNotification,
  createSession,
  notificationsShown,
  permissionRequests,
} from "./tab_controls.ts";

browserTest("notifications, notices, unread marks, title count and settings", async () => {
  await using app = await startApp({
    projects: ["alpha", "beta"],
    world: { config: { permission: { bash: "ask" } } },
  });
  const alphaId = await registerProject(app, app.projects.alpha);
  const betaId = await registerProject(app, app.projects.beta);
  const context = await app.browser.newContext();
  try {
    await addTabControls(context);
    const page = await context.newPage();
    const errors: string[] = [];
    page.on("pageerror", (error) => errors.push(error.message));
    const connected = () =>
      page.getByRole("status").filter({ hasText: "Connected" }).waitFor({ timeout: 60_000 });
    await page.goto(`${app.palot.url}/project/${alphaId}`);
    await connected();

    // Asked only from the button, never on load.
    const enable = page.getByRole("button", { name: "Enable notifications" });
    await enable.waitFor({ timeout: 15_000 });
    assert.equal(await permissionRequests(page), 0, "nothing asked on load");
    await context.grantPermissions(["notifications"], { origin: app.palot.url });
    await enable.click();
    await enable.waitFor({ state: "detached", timeout: 15_000 });
    assert.equal(await permissionRequests(page), 1);

    // Settings: mute alpha; remembered across a reload.
    await page.goto(`${app.palot.url}/settings`);
    await page.getByRole("heading", { name: "Notifications" }).waitFor();
    const muteAlpha = page.getByRole("checkbox", { name: "Mute alpha" });
    await page.locator("fieldset:not([disabled]) >> nth=0").waitFor({ timeout: 30_000 });
    assert.equal(
      await page.getByRole("checkbox", { name: "A session finished" }).isChecked(),
      true,
    );
    await muteAlpha.check();
    await page.reload();
    await page.locator("fieldset:not([disabled]) >> nth=0").waitFor({ timeout: 30_000 });
    assert.equal(await muteAlpha.isChecked(), true, "the choice is remembered");

    // A session of beta finishes while alpha's page is on screen.
    await page.goto(`${app.palot.url}/project/${alphaId}`);
    await connected();
    const prompt = async (directory: string, id: string, reply: Record<string, unknown>) => {
      app.llm.enqueue(reply);
      await postToOpencode(app.palot, `/session/${id}/prompt_async`, directory, {
        parts: [{ type: "text", text: "Go" }],
      });
    };
    const beta = { id: await createSession(app, app.projects.beta, "Beta work") };
    const row = (title: string) =>
      page.getByRole("region", { name: "Active now" }).getByRole("listitem")
        .filter({ hasText: title });
    await prompt(app.projects.beta, beta.id, { text: "Done in beta." });
    await row("Beta work").getByText("idle", { exact: true }).waitFor({ timeout: 60_000 });
    await waitFor(async () => (await notificationsShown(page)).length === 1, {
      timeoutMs: 10_000,
      message: "one notification",
    });
    assert.deepEqual((await notificationsShown(page)).map(({ title, body }) => ({ title, body })), [
      { title: "Finished: Beta work", body: "beta" },
    ]);
    const notices = page.getByRole("list", { name: "Notices" });
    await notices.getByRole("link", { name: "Finished: Beta work" }).waitFor();
    await row("Beta work").getByText("unread", { exact: true }).waitFor();
    // The title's count, the icon's dot and the marks agree: one session needs the user.
    assert.equal(await page.locator('link[rel="icon"]').getAttribute("data-dot"), "true");
    await page.waitForFunction(() => document.title.startsWith("(1) "));
    await app.screenshot(page, "notifications");
    // At the top, under the header (never over a composer), and gone by itself after a while;
    // the unread mark and the icon's dot stay.
    const box = await notices.boundingBox();
    assert.ok(box && box.y < 150, `the notices sit under the header (y ${box?.y})`);
    await notices.getByRole("link", { name: "Finished: Beta work" }).waitFor({
      state: "detached",
      timeout: 20_000,
    });
    await row("Beta work").getByText("unread", { exact: true }).waitFor();

    // A page opened later (the home page) lists it unread too, with the same count.
    await page.goto(app.palot.url);
    await connected();
    await row("Beta work").getByText("unread", { exact: true }).waitFor();
    assert.ok((await page.title()).startsWith("(1) "), await page.title());
    assert.equal(await page.locator('link[rel="icon"]').getAttribute("data-dot"), "true");

    // Its project's list marks it unread, until it has been looked at.
    await page.goto(`${app.palot.url}/project/${betaId}`);
    await connected();
    const listed = page.getByRole("main").getByRole("listitem").filter({ hasText: "Beta work" });
    await listed.getByText("unread", { exact: true }).waitFor({ timeout: 15_000 });
    await page.goto(`${app.palot.url}/session/${beta.id}`);
    await page.getByRole("heading", { name: "Beta work" }).waitFor();
    await connected();

    // The session on screen finishing notifies nobody.
    const before = (await notificationsShown(page)).length;
    await prompt(app.projects.beta, beta.id, { text: "Watched while it finished." });
    await page.getByText("Watched while it finished.").waitFor({ timeout: 60_000 });
    await page.getByRole("button", { name: "Stop" }).waitFor({
      state: "detached",
      timeout: 60_000,
    });
    assert.equal((await notificationsShown(page)).length, before);

    await page.goto(`${app.palot.url}/project/${betaId}`);
    await connected();
    await listed.waitFor();
    assert.equal(await listed.getByText("unread", { exact: true }).isVisible(), false, "read now");
    assert.equal(await page.locator('link[rel="icon"]').getAttribute("data-dot"), "false");
    assert.ok(!(await page.title()).startsWith("("), await page.title());

    // A muted project's session finishing: marked unread, but no notification or notice.
    const alpha = { id: await createSession(app, app.projects.alpha, "Alpha work") };
    await prompt(app.projects.alpha, alpha.id, { text: "Done in alpha." });
    await row("Alpha work").getByText("idle", { exact: true }).waitFor({ timeout: 60_000 });
    await row("Alpha work").getByText("unread", { exact: true }).waitFor();
    assert.equal((await notificationsShown(page)).length, 0, "muted");
    assert.equal(await notices.count(), 0);

    // A permission request in beta: the title counts it beside alpha's unread session, the icon
    // has a dot, and it notifies.
    await prompt(app.projects.beta, beta.id, {
      toolCalls: [{ name: "bash", arguments: { command: "ls", description: "List" } }],
    });
    await page.waitForFunction(() => document.title.startsWith("(2) "), undefined, {
      timeout: 60_000,
    });
    assert.equal(await page.locator('link[rel="icon"]').getAttribute("data-dot"), "true");
    await waitFor(async () => (await notificationsShown(page)).length === 1, {
      timeoutMs: 10_000,
      message: "the permission's notification",
    });
    assert.equal((await notificationsShown(page))[0].title, "Needs your permission: Beta work");
    // Clicking it opens the session.
    await clickNotification(page, 0);
    await page.waitForURL(new RegExp(`/session/${beta.id}$`), { timeout: 15_000 });
    await page.getByRole("group", { name: "Permission request" }).waitFor({ timeout: 30_000 });
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});
