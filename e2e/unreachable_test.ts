/**
 * A provider that cannot be reached (the model's server is down, no network): the chat names the
 * provider and links to Settings while OpenCode retries, stops the turn after a few attempts
 * rather than retrying for ever, and keeps saying what failed (not an empty block).
 */

import { browserTest, openNewChat, registerProject, send, startApp } from "./harness.ts";

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
