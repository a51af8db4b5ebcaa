/**
 * The server's toolbar cache against the real opencode, and the chat page that renders it: a
 * complete toolbar in the page's HTML once a directory is known, refreshed in the background,
 * dropped on dispose, and a folder gone from disk logged and shown instead of loaded.
 */

import assert from "node:assert/strict";
import { appOver } from "../../testing/app_over.ts";
import { OpencodeWorld, waitFor } from "../../testing/world.ts";
import { basicAuthorization } from "./endpoint.ts";
import { ToolbarCache } from "./toolbar_cache.ts";

Deno.test("chat pages render the toolbar the server cached, refreshed on each visit", async () => {
  await using world = await OpencodeWorld.create();
  const alpha = await world.makeProject("alpha");
  const gone = await world.makeProject("gone");
  await using opencode = await world.startOpencode();
  const endpoint = { url: opencode.url, authorization: basicAuthorization(opencode.password) };
  for (const directory of [alpha, gone]) {
    await opencode.client(directory).session.create({ title: "Work" }, { throwOnError: true });
  }
  const used: string[] = [];
  const logs: string[] = [];
  const toolbars = new ToolbarCache({
    source: { endpoint: () => endpoint },
    onUse: (directory) => void used.push(directory),
    log: (line) => logs.push(line),
  });
  using palot = appOver(world.dataDir, { endpoint, toolbars });
  const project = (directory: string) =>
    palot.discovery.listProjects().find((project) => project.worktree === directory)!;
  const newSessionPage = async (directory: string) => {
    const response = await palot.fetch(`/project/${encodeURIComponent(project(directory).id)}/new`);
    assert.equal(response.status, 200);
    return await response.text();
  };

  // First visit: nothing known yet, so the tab loads it; the server starts loading meanwhile.
  const first = await newSessionPage(alpha);
  assert.match(first, /<option>Loading…<\/option>/);
  await waitFor(() => toolbars.visit(alpha).data, { timeoutMs: 60_000, message: "toolbar data" });
  assert.deepEqual([...new Set(used)], [alpha], "asking OpenCode about a directory is a use");
  const { data } = toolbars.visit(alpha);
  assert.equal(data?.defaultModel, "mock/mock-1");
  assert.ok(data?.agents.includes("build"));
  assert.equal(data?.branch, "main");

  // Next visit: complete at first paint, the configured model chosen.
  const second = await newSessionPage(alpha);
  assert.doesNotMatch(second, /Loading…/);
  assert.match(second, /<option selected value="mock\/mock-1">Mock One<\/option>/);
  assert.match(second, /<option[^>]*>build<\/option>/);
  assert.match(
    second,
    /&quot;defaultModel&quot;:&quot;mock\/mock-1&quot;/,
    "the island gets the same options",
  );

  // Disposed: forgotten, so the page no longer claims to know.
  toolbars.drop(alpha);
  assert.match(await newSessionPage(alpha), /<option>Loading…<\/option>/);

  // A folder deleted from disk: one log line, a page that says so, no instance booted for it.
  await Deno.remove(gone, { recursive: true });
  used.length = 0;
  await newSessionPage(gone);
  await waitFor(() => toolbars.visit(gone).missing, { message: "the missing folder noticed" });
  const page = await newSessionPage(gone);
  assert.match(page, /no longer exists on disk/);
  assert.deepEqual(used, []);
  assert.deepEqual(logs.filter((line) => line.includes(gone)), [
    `Folder "${gone}" no longer exists on disk; its toolbar is not loaded`,
  ]);
  await toolbars.refresh(alpha);
});
