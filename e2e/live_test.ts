/** The live layer in a real browser: activity across projects, and recovery when OpenCode dies. */

import assert from "node:assert/strict";
import { join } from "node:path";
import { readState } from "../lib/opencode/state_file.ts";
import { postToOpencode } from "../testing/palot.ts";
import { browserTest, startApp } from "./harness.ts";

browserTest(
  "a prompt started by another client in another project shows busy, then idle",
  async () => {
    await using app = await startApp({ projects: ["alpha", "beta"] });
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
    app.llm.enqueue({ text: "A slow answer from beta.", chunkSize: 2, chunkDelayMs: 60 });
    await api(`/session/${session.id}/prompt_async`, app.projects.beta, {
      parts: [{ type: "text", text: "Hello from another client" }],
    });

    const activity = page.getByRole("region", { name: "Active now" });
    const row = activity.getByRole("listitem").filter({ hasText: "Beta from elsewhere" });
    await row.getByText("busy", { exact: true }).waitFor({ timeout: 5_000 });
    await app.screenshot(page, "live-activity");
    await row.getByText("idle", { exact: true }).waitFor({ timeout: 15_000 });
    assert.deepEqual(errors, []);
  },
);

browserTest("OpenCode killed: the page shows Reconnecting, then Connected, by itself", async () => {
  await using app = await startApp({ projects: ["alpha"] });
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
