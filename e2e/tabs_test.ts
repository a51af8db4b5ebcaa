/**
 * One event stream per browser: twelve Palot tabs in one profile share it (shown or hidden), a
 * thirteenth page loads at once, the stream survives its leader tab closing, and an event that
 * needs the user shows one system notification however many tabs are open.
 */

import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { postToOpencode } from "../testing/palot.ts";
import { waitFor } from "../testing/world.ts";
import { browserTest, registerProject, startApp } from "./harness.ts";
import {
  addTabControls,
  allNotifications,
  clickNotification,
  createSession,
  notificationsShown,
  openStreams,
  setPageHidden,
} from "./tab_controls.ts";

browserTest(
  "twelve tabs share one stream, a thirteenth loads, the leader hands over, one notification per event",
  async () => {
    await using app = await startApp({ projects: ["alpha", "beta"] });
    const alphaId = await registerProject(app, app.projects.alpha);
    const context = await app.browser.newContext();
    try {
      await context.grantPermissions(["notifications"], { origin: app.palot.url });
      await addTabControls(context);
      const connected = (page: Page) =>
        page.getByRole("status").filter({ hasText: "Connected" }).waitFor({ timeout: 60_000 });
      const streamsOpen = async (pages: Page[]) =>
        (await Promise.all(pages.map(openStreams))).reduce((sum, count) => sum + count, 0);
      const tabs: Page[] = [];
      for (let i = 0; i < 12; i++) {
        const tab = await context.newPage();
        await tab.goto(i % 2 ? `${app.palot.url}/project/${alphaId}` : app.palot.url);
        await connected(tab);
        // Half the tabs are in the background, as after switching away from them.
        if (i % 3 === 0) await setPageHidden(tab, true);
        tabs.push(tab);
      }
      await waitFor(async () => (await streamsOpen(tabs)) === 1, {
        timeoutMs: 15_000,
        message: "one event stream for twelve tabs",
      });
      const thirteenth = await context.newPage();
      await thirteenth.goto(app.palot.url, { timeout: 20_000 });
      await connected(thirteenth);
      tabs.push(thirteenth);
      assert.equal(await streamsOpen(tabs), 1, "the thirteenth tab shares the stream too");

      // A status change in another project reaches every tab, shown or hidden.
      const session = { id: await createSession(app, app.projects.beta, "Beta in the background") };
      const prompt = async (text: string) => {
        app.llm.enqueue({ text: "x".repeat(40), chunkSize: 1, chunkDelayMs: 250 });
        await postToOpencode(app.palot, `/session/${session.id}/prompt_async`, app.projects.beta, {
          parts: [{ type: "text", text }],
        });
      };
      const row = (page: Page) =>
        page.getByRole("region", { name: "Active now" }).getByRole("listitem")
          .filter({ hasText: "Beta in the background" });
      const everyTabShows = async (pages: Page[], status: string) => {
        const results = await Promise.allSettled(
          pages.map((page) =>
            row(page).getByText(status, { exact: true }).waitFor({ timeout: 60_000 })
          ),
        );
        const missing = results.flatMap((result, i) => result.status === "rejected" ? [i] : []);
        assert.deepEqual(missing, [], `tabs that did not show "${status}"`);
      };
      await prompt("First");
      await everyTabShows(tabs, "busy");
      await everyTabShows(tabs, "idle");
      // Nobody shows that session: one notification, from one tab, naming session and project.
      await waitFor(async () => (await allNotifications(tabs)).length > 0, {
        timeoutMs: 10_000,
        message: "a notification",
      });
      assert.deepEqual(
        (await allNotifications(tabs)).map(({ title, body }) => ({ title, body })),
        [{ title: "Finished: Beta in the background", body: "beta" }],
      );

      // The leader closes: another tab takes the stream over, and every tab stays live.
      const counts = await Promise.all(tabs.map(openStreams));
      const leader = tabs[counts.indexOf(1)];
      await leader.close();
      const rest = tabs.filter((tab) => tab !== leader);
      await waitFor(async () => (await streamsOpen(rest)) === 1, {
        timeoutMs: 15_000,
        message: "a new leader's stream",
      });
      await prompt("Second");
      await everyTabShows(rest, "busy");
      await everyTabShows(rest, "idle");
      await waitFor(async () => (await allNotifications(rest)).length > 0, {
        timeoutMs: 10_000,
        message: "the second notification",
      });
      assert.equal((await allNotifications(rest)).length, 1, "one notification for the event");

      // Clicking the notification opens the session.
      const notifier = (await Promise.all(rest.map(notificationsShown))).findIndex((shown) =>
        shown.length > 0
      );
      await clickNotification(rest[notifier], 0);
      await rest[notifier].waitForURL(new RegExp(`/session/${session.id}$`), { timeout: 15_000 });
      await rest[notifier].getByRole("heading", { name: "Beta in the background" }).waitFor();
    } finally {
      await context.close();
    }
  },
);
