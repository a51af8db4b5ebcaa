/** The live layer in a real browser: activity across projects, and recovery when OpenCode dies. */

import assert from "node:assert/strict";
import { join } from "node:path";
import { readState } from "../lib/server/opencode/supervisor/state_file.ts";
import type { Page } from "playwright-core";
import { postToOpencode } from "../testing/palot.ts";
import { browserTest, sharedApp } from "./harness.ts";
import { addTabControls, openStreams, setPageHidden } from "./tab_controls.ts";
import { waitFor } from "../testing/world.ts";

const stack = sharedApp();

browserTest(
  "a prompt started by another client in another project shows busy, then idle",
  async () => {
    await using app = await stack.use(["alpha", "beta"]);
    const page = await app.newPage();
    const errors: string[] = [];
    page.on("pageerror", (error) => errors.push(error.message));
    const api = (path: string, directory: string, body: unknown) =>
      postToOpencode(app.palot, path, directory, body);
    // A session in alpha so the page of alpha lists one.
    await api("/session", app.projects.alpha, { title: "Alpha work" });

    await page.goto(app.palot.url);
    await page.getByRole("status").filter({ hasText: "Connected" }).waitFor({ timeout: 60_000 });
    await page.getByRole("main").getByRole("link", { name: "alpha" }).click();
    await page.getByRole("heading", { name: "alpha" }).waitFor();
    await page.getByRole("status").filter({ hasText: "Connected" }).waitFor({ timeout: 30_000 });

    const session = await api("/session", app.projects.beta, { title: "Beta from elsewhere" });
    // The home page in another tab: beta's card says `1 working` while it works, and no more once
    // it is idle, like Active now on the same page.
    const home = await app.newPage();
    await home.goto(app.palot.url);
    await home.getByRole("status").filter({ hasText: "Connected" }).waitFor({ timeout: 30_000 });
    const betaBadges = home.locator(".project-card", {
      has: home.getByRole("link", { name: "beta", exact: true }),
    }).locator("[data-project-badges]");
    await betaBadges.waitFor({ state: "attached" });
    app.llm.enqueue({ text: "A slow answer from beta.", chunkSize: 2, chunkDelayMs: 60 });
    await api(`/session/${session.id}/prompt_async`, app.projects.beta, {
      parts: [{ type: "text", text: "Hello from another client" }],
    });

    const activity = page.getByRole("region", { name: "Active now" });
    const row = activity.getByRole("listitem").filter({ hasText: "Beta from elsewhere" });
    await row.getByText("busy", { exact: true }).waitFor({ timeout: 5_000 });
    await betaBadges.getByText("1 working").waitFor({ timeout: 5_000 });
    await app.screenshot(page, "live-activity");
    await row.getByText("idle", { exact: true }).waitFor({ timeout: 15_000 });
    await betaBadges.getByText("1 working").waitFor({ state: "detached", timeout: 15_000 });
    await home.getByRole("region", { name: "Active now" }).getByRole("listitem")
      .filter({ hasText: "Beta from elsewhere" }).getByText("idle", { exact: true }).waitFor();
    assert.deepEqual(errors, []);
  },
);

browserTest("OpenCode killed: the page shows Reconnecting, then Connected, by itself", async () => {
  await using app = await stack.use();
  const page = await app.newPage();
  await page.goto(app.palot.url);
  const status = page.getByRole("status");
  await status.filter({ hasText: "Connected" }).waitFor({ timeout: 60_000 });
  const state = await readState(join(app.world.env.XDG_STATE_HOME, "palot"));
  assert.ok(state);
  Deno.kill(state.pid, "SIGKILL");
  await status.filter({ hasText: "Reconnecting…" }).waitFor({ timeout: 15_000 });
  await status.filter({ hasText: "Connected" }).waitFor({ timeout: 60_000 });
  const restarted = await readState(join(app.world.env.XDG_STATE_HOME, "palot"));
  assert.notEqual(restarted?.pid, state.pid);
});

browserTest(
  "without Web Locks (plain http from another device), tabs in the background let go of their stream, and catch up when shown",
  async () => {
    await using app = await stack.use(["hidden"]);
    // One browser profile allows six connections per host, and a tab's event stream holds one: a
    // seventh tab could not even load while six others stayed connected.
    const context = await app.browser.newContext();
    try {
      // As in an insecure context, where the tabs cannot share one stream (e2e/tabs_test.ts).
      await context.addInitScript(() => {
        delete (Navigator.prototype as { locks?: unknown }).locks;
      });
      await addTabControls(context);
      const connected = (page: Page) =>
        page.getByRole("status").filter({ hasText: "Connected" }).waitFor({ timeout: 30_000 });
      const tabs: Page[] = [];
      for (let i = 0; i < 6; i++) {
        const tab = await context.newPage();
        await tab.goto(app.palot.url);
        await connected(tab);
        await waitFor(async () => (await openStreams(tab)) === 1, { message: "its stream" });
        await setPageHidden(tab, true);
        tabs.push(tab);
      }
      const seventh = await context.newPage();
      await seventh.goto(app.palot.url, { timeout: 20_000 });
      await connected(seventh);

      // Work started while the first tab was hidden shows once it is shown again: it catches up
      // on what it missed, then follows live.
      const session = await postToOpencode(app.palot, "/session", app.projects.hidden, {
        title: "Started while hidden",
      });
      app.llm.enqueue({ text: "A slow answer, while hidden.", chunkSize: 2, chunkDelayMs: 500 });
      await postToOpencode(app.palot, `/session/${session.id}/prompt_async`, app.projects.hidden, {
        parts: [{ type: "text", text: "Hello" }],
      });
      const activityRow = (page: Page) =>
        page.getByRole("region", { name: "Active now" }).getByRole("listitem")
          .filter({ hasText: "Started while hidden" });
      await activityRow(seventh).getByText("busy", { exact: true }).waitFor({ timeout: 5_000 });
      const first = tabs[0];
      assert.equal(await openStreams(first), 0, "the hidden tab let go of its stream");
      assert.equal(await activityRow(first).count(), 0, "a hidden tab applies nothing");
      await setPageHidden(first, false);
      await activityRow(first).getByText("busy", { exact: true }).waitFor({ timeout: 5_000 });
      assert.equal(await openStreams(first), 1);
      await activityRow(first).getByText("idle", { exact: true }).waitFor({ timeout: 20_000 });
      // A tab hidden for the whole reply lists it as finished once shown, like a tab that watched.
      await setPageHidden(tabs[1], false);
      await activityRow(tabs[1]).getByText("idle", { exact: true }).waitFor({ timeout: 5_000 });
    } finally {
      await context.close();
    }
  },
);

stack.stopAfterAll();
