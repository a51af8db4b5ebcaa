/**
 * The server's toolbar cache against the real opencode, and the chat page that renders it: a
 * complete toolbar in the page's HTML once a directory is known, refreshed in the background,
 * dropped on dispose (then, for a folder without config of its own, the options of every such
 * folder, provisionally), and a folder gone from disk logged and shown instead of loaded.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { appOver } from "../testing/app_over.ts";
import { OpencodeWorld, waitFor } from "../testing/world.ts";
import { basicAuthorization } from "../lib/server/opencode/endpoint.ts";
import { ToolbarCache, type ToolbarLoad } from "../lib/server/toolbar/toolbar_cache.ts";
import { reloadProviders } from "../lib/server/settings/providers.ts";

Deno.test("chat pages render the toolbar the server cached, refreshed on each visit", async () => {
  await using world = await OpencodeWorld.create();
  const alpha = await world.makeProject("alpha");
  const gone = await world.makeProject("gone");
  const own = await world.makeProject("own");
  await using opencode = await world.startOpencode();
  const endpoint = { url: opencode.url, authorization: basicAuthorization(opencode.password) };
  for (const directory of [alpha, gone, own]) {
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
  assert.match(first, /aria-label="Agent"[^>]*value="Loading…"/);
  await waitFor(() => toolbars.visit(alpha).data, { timeoutMs: 60_000, message: "toolbar data" });
  assert.deepEqual([...new Set(used)], [alpha], "asking OpenCode about a directory is a use");
  const { data } = toolbars.visit(alpha);
  assert.equal(data?.defaultModel, "mock/mock-1");
  assert.ok(data?.agents.includes("build"));
  assert.equal(data?.branch, "main");

  // Next visit: complete at first paint, the configured model chosen.
  const second = await newSessionPage(alpha);
  assert.doesNotMatch(second, /Loading…/);
  assert.match(second, /data-value="mock\/mock-1"[^>]*value="Mock One"/);
  assert.match(second, /aria-label="Agent"[^>]*data-value="build"/);
  assert.match(
    second,
    /&quot;defaultModel&quot;:&quot;mock\/mock-1&quot;/,
    "the island gets the same options",
  );

  // Disposed: its own options forgotten. Having no OpenCode config of its own, it is shown those
  // of every such folder, marked provisional (the tab asks for its own), without a branch.
  toolbars.drop(alpha);
  const afterDrop = await newSessionPage(alpha);
  assert.match(afterDrop, /data-value="mock\/mock-1"[^>]*value="Mock One"/);
  assert.match(afterDrop, /&quot;provisional&quot;:true/);
  assert.match(afterDrop, /<span class="branch-name">…<\/span>/);
  assert.equal(toolbars.visit(gone).provisional, true, "a folder never loaded, the same");

  // A folder with config of its own waits for its own options.
  await Deno.writeTextFile(
    join(own, "opencode.json"),
    '{"$schema":"https://opencode.ai/config.json"}',
  );
  assert.match(await newSessionPage(own), /aria-label="Agent"[^>]*value="Loading…"/);
  await waitFor(() => toolbars.visit(own).data, { timeoutMs: 60_000, message: "own options" });
  assert.equal(toolbars.visit(own).provisional, undefined);

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

Deno.test("a tab whose page came without options asks Palot, joining the visit's load", async () => {
  await using world = await OpencodeWorld.create();
  const beta = await world.makeProject("beta");
  await using opencode = await world.startOpencode();
  await opencode.client(beta).session.create({ title: "Work" }, { throwOnError: true });
  const endpoint = { url: opencode.url, authorization: basicAuthorization(opencode.password) };
  /** What the cache's supervisor reports: nothing until OpenCode is "up". */
  const reported: { endpoint?: typeof endpoint } = {};
  const used: string[] = [];
  const toolbars = new ToolbarCache({
    source: { endpoint: () => reported.endpoint },
    onUse: (directory) => void used.push(directory),
    log: () => {},
  });
  using palot = appOver(world.dataDir, { endpoint, toolbars });
  const ask = async (directory: string) => {
    const response = await palot.fetch(`/api/toolbar?directory=${encodeURIComponent(directory)}`);
    return {
      status: response.status,
      retry: response.headers.get("retry-after"),
      ...await response.json(),
    };
  };

  // OpenCode not there yet: try again.
  assert.deepEqual(await ask(beta), {
    status: 503,
    retry: "1",
    error: "OpenCode is not answering yet",
  });
  assert.deepEqual(used, [], "nothing asked of an OpenCode that is not there");

  // A cold project: the page's visit starts the load, the tab's question joins it.
  reported.endpoint = endpoint;
  const id = palot.discovery.listProjects().find((project) => project.worktree === beta)!.id;
  const page = await palot.fetch(`/project/${encodeURIComponent(id)}/new`);
  assert.match(await page.text(), /aria-label="Agent"[^>]*value="Loading…"/);
  const answer = await ask(beta);
  assert.equal(answer.status, 200);
  assert.equal(answer.data.defaultModel, "mock/mock-1");
  assert.ok(answer.data.agents.includes("build"));
  assert.deepEqual(used, [beta], "OpenCode asked once for the page and its tab");

  // A folder gone from disk, and a question without a folder.
  assert.deepEqual(await ask(`${beta}-gone`), { status: 200, retry: null, missing: true });
  assert.equal((await ask("")).status, 400);
});

// Posing as OpenCode: the real one cannot be made to refuse, then not answer, on cue.
Deno.test("OpenCode's refusal reaches the toolbar in its words; no answer means try again", async () => {
  const folder = await Deno.makeTempDir({ prefix: "palot-toolbar-" });
  let refuse = true;
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen() {} },
    () =>
      refuse
        ? Response.json({ data: { message: "Invalid opencode.json" } }, { status: 400 })
        : new Response(null, { status: 503 }),
  );
  const endpoint = { url: `http://127.0.0.1:${server.addr.port}`, authorization: "Basic x" };
  const toolbars = new ToolbarCache({ source: { endpoint: () => endpoint }, log: () => {} });
  try {
    assert.deepEqual(await toolbars.refresh(folder), {
      error: "OpenCode refused: Invalid opencode.json",
    });
    refuse = false;
    assert.deepEqual(await toolbars.refresh(folder), { unavailable: true });
  } finally {
    await server.shutdown();
    await Deno.remove(folder, { recursive: true });
  }
});

Deno.test("a key saved in Settings: the next page offers its provider's models, never the old list", async () => {
  await using world = await OpencodeWorld.create();
  const alpha = await world.makeProject("alpha");
  await using opencode = await world.startOpencode();
  const endpoint = { url: opencode.url, authorization: basicAuthorization(opencode.password) };
  const toolbars = new ToolbarCache({ source: { endpoint: () => endpoint }, log: () => {} });
  const providers = (load: ToolbarLoad) =>
    "data" in load ? load.data.providers.map((provider) => provider.name) : [];
  assert.ok(!providers(await toolbars.refresh(alpha)).includes("DeepSeek"));
  assert.ok(toolbars.visit(alpha).data, "the options are cached");
  // A load still in flight when the providers change brings the old list: it is not kept.
  const inFlight = toolbars.refresh(alpha);
  // What Settings does with a key (its check with the provider aside: that leaves this machine).
  const saved = await opencode.fetch("/auth/deepseek", {
    method: "PUT",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ type: "api", key: "sk-test" }),
  });
  assert.equal(saved.status, 200, await saved.text());
  await reloadProviders({ endpoint: () => endpoint }, {
    busy: () => 0,
    onReloaded: () => toolbars.clear(),
  });
  await inFlight;
  assert.deepEqual(toolbars.visit(alpha), {}, "nothing of before is shown");
  assert.ok(providers(await toolbars.current(alpha)).includes("DeepSeek"));
});
