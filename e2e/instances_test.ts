/**
 * OpenCode's per-directory instances seen from a tab: the toolbar waits for OpenCode and fills
 * itself (also after a restart), arrives complete in the page's HTML once the server knows it (or,
 * provisionally, the options of folders without config of their own), pins its project while
 * shown, and a tab whose project's instance was disposed still sends a message.
 */

import assert from "node:assert/strict";
import { waitFor } from "../testing/world.ts";
import { browserTest, registerProject, send, startApp } from "./harness.ts";
import { modelField, modelValue } from "./model_picker.ts";
import { agentField, agentValue } from "./agent_picker.ts";

interface InstancesReport {
  pid: number;
  status: string;
  instances: { directory: string; pinnedBy: string[] }[];
}

browserTest(
  "the toolbar waits for OpenCode and fills itself; a disposed project's tab still sends",
  async () => {
    await using app = await startApp({ projects: ["alpha"] });
    const alpha = app.projects.alpha;
    const projectId = await registerProject(app, alpha);
    const report = async () =>
      await (await app.palot.fetch("/api/opencode")).json() as InstancesReport;

    // A tab showing the project pins its instance.
    const page = await app.newPage();
    await page.goto(`${app.palot.url}/project/${projectId}/new`);
    await page.locator('[role=combobox][aria-label="Agent"]:not([disabled])').waitFor({
      timeout: 60_000,
    });
    await waitFor(
      async () =>
        (await report()).instances.find((instance) => instance.directory === alpha)?.pinnedBy
          .includes("tab"),
      { timeoutMs: 30_000, message: "the tab's presence reported" },
    );

    // Rendered by the server: complete without any script, the configured model chosen.
    const plain = await app.newPage({ javaScript: false });
    await plain.goto(`${app.palot.url}/project/${projectId}/new`);
    assert.equal(await modelValue(plain), "mock/mock-1");
    assert.equal(await modelField(plain).inputValue(), "Mock One");
    // The chosen agent, painted by the server.
    assert.equal(await agentValue(plain), "build");
    assert.equal(await agentField(plain).inputValue(), "build");

    // Disposed under the open tab (as the keeper does): the tab's next message boots it again.
    const disposed = await app.palot.fetch(
      `/api/opencode/instance/dispose?directory=${encodeURIComponent(alpha)}`,
      { method: "POST" },
    );
    assert.equal(disposed.status, 200);
    await disposed.body?.cancel();
    await waitFor(
      async () => !(await report()).instances.some((instance) => instance.directory === alpha),
      { timeoutMs: 30_000, message: "the disposal seen by the keeper" },
    );
    await page.getByRole("status").filter({ hasText: "Connected" }).waitFor({ timeout: 30_000 });
    app.llm.enqueue({ text: "Sent after the disposal." });
    await send(page, "Hello again");
    await page.getByText("Sent after the disposal.").waitFor({ timeout: 60_000 });

    // Its options went with its instance: a new tab gets at once, in the page, those of every
    // folder without OpenCode config of its own (no branch), then asks for its own.
    const reopened = await app.newPage();
    const served = await reopened.goto(`${app.palot.url}/project/${projectId}/new`);
    const html = await served!.text();
    assert.match(html, /data-value="mock\/mock-1"[^>]*value="Mock One"/);
    assert.match(html, /&quot;provisional&quot;:true/);
    assert.match(html, /<span class="branch-name">…<\/span>/);
    await reopened.locator(".branch-name").filter({ hasText: "main" }).waitFor({ timeout: 60_000 });
    assert.equal(await modelValue(reopened), "mock/mock-1");

    // OpenCode restarts: a page opened meanwhile says it waits, then fills itself, no reload.
    const { pid } = await report();
    Deno.kill(pid, "SIGKILL");
    await waitFor(async () => (await report()).status !== "ready", {
      message: "the supervisor noticing the restart",
    });
    const early = await app.newPage();
    await early.goto(`${app.palot.url}/project/${projectId}/new`);
    await early.getByRole("status").filter({ hasText: "Waiting for OpenCode…" }).waitFor({
      timeout: 30_000,
    });
    await early.locator('input[aria-label="Model"]:not([disabled])').waitFor({ timeout: 60_000 });
    assert.equal(await modelValue(early), "mock/mock-1");
    assert.equal(await early.getByText("Waiting for OpenCode…").count(), 0);
  },
);
