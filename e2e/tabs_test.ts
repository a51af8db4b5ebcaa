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
    const betaId = await registerProject(app, app.projects.beta);
    const context = await app.browser.newContext();
    try {
      await context.grantPermissions(["notifications"], { origin: app.palot.url });
      await addTabControls(context);
      const connected = (page: Page) =>
        page.getByRole("status").filter({ hasText: "Connected" }).waitFor({ timeout: 60_000 });
      const streamsOpen = async (pages: Page[]) =>
        (await Promise.all(pages.map(openStreams))).reduce((sum, count) => sum + count, 0);
      const open = async () => {
        const tab = await context.newPage();
        await tab.goto(`${app.palot.url}/project/${betaId}`, { timeout: 20_000 });
        await connected(tab);
        return tab;
      };
      const tabs: Page[] = [];
      for (let i = 0; i < 12; i++) {
        const tab = await open();
        // A third of the tabs are in the background, as after switching away from them.
        if (i % 3 === 0) await setPageHidden(tab, true);
        tabs.push(tab);
      }
      await waitFor(async () => (await streamsOpen(tabs)) === 1, {
        timeoutMs: 15_000,
        message: "one event stream for twelve tabs",
      });
      tabs.push(await open());
      assert.equal(await streamsOpen(tabs), 1, "the thirteenth tab shares the stream too");
      /** Waits until every one of `pages` passes `check`; names the tabs that did not. */
      const inEveryTab = async (
        pages: Page[],
        what: string,
        check: (page: Page) => Promise<void>,
      ) => {
        const results = await Promise.allSettled(pages.map(check));
        const missing = results.flatMap((result, i) => result.status === "rejected" ? [i] : []);
        assert.deepEqual(missing, [], `tabs without ${what}`);
      };
      const listed = (pages: Page[], title: string) =>
        inEveryTab(
          pages,
          `"${title}"`,
          (page) =>
            page.getByRole("list", { name: "Sessions of beta" }).getByText(title)
              .waitFor({ timeout: 60_000 }),
        );

      // A session created by another client appears in every tab, shown or hidden.
      const session = { id: await createSession(app, app.projects.beta, "Beta in the background") };
      await listed(tabs, "Beta in the background");

      // The leader closes: another tab takes the stream over, and every tab stays live.
      const counts = await Promise.all(tabs.map(openStreams));
      await tabs[counts.indexOf(1)].close();
      const rest = tabs.filter((_, i) => i !== counts.indexOf(1));
      await waitFor(async () => (await streamsOpen(rest)) === 1, {
        timeoutMs: 15_000,
        message: "a new leader's stream",
      });
      await createSession(app, app.projects.beta, "After the handover");
      await listed(rest, "After the handover");

      // A status change reaches every tab; nobody shows that session, so it ends with one
      // notification from one tab, naming session and project.
      app.llm.enqueue({ text: "x".repeat(40), chunkSize: 1, chunkDelayMs: 250 });
      await postToOpencode(app.palot, `/session/${session.id}/prompt_async`, app.projects.beta, {
        parts: [{ type: "text", text: "Go" }],
      });
      const status = (name: string) => (page: Page) =>
        page.getByRole("region", { name: "Active now" }).getByRole("listitem")
          .filter({ hasText: "Beta in the background" }).getByText(name, { exact: true })
          .waitFor({ timeout: 60_000 });
      await inEveryTab(rest, "busy", status("busy"));
      await inEveryTab(rest, "idle", status("idle"));
      await waitFor(async () => (await allNotifications(rest)).length > 0, {
        timeoutMs: 10_000,
        message: "a notification",
      });
      assert.deepEqual(
        (await allNotifications(rest)).map(({ title, body }) => ({ title, body })),
        [{ title: "Finished: Beta in the background", body: "beta" }],
      );

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
