/**
 * The whole of Palot in this process, assembled as `main.ts` assembles it (`createServices` and
 * `createApp`), against the real opencode: a reply through the proxy reaches the live layer, the
 * page and the search index, and `stop()` ends OpenCode.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { createApp } from "../app.ts";
import type { Config } from "../lib/server/config.ts";
import { createServices } from "../lib/server/services.ts";
import { FakeLlm } from "../testing/fake_llm.ts";
import { freePort, OpencodeWorld, waitFor } from "../testing/world.ts";

Deno.test("createServices wires OpenCode, live events, search and the app together", async () => {
  await using llm = await FakeLlm.start();
  await using world = await OpencodeWorld.create({ llm });
  const project = await world.makeProject("wired");
  const port = freePort();
  const config: Config = {
    hostname: "127.0.0.1",
    port,
    opencodePort: freePort(),
    dataDir: world.dataDir,
    stateDir: join(world.env.XDG_STATE_HOME, "palot"),
    keepOpencode: false,
    instanceIdleMs: 600_000,
    maxInstances: 8,
    allowedHosts: [],
  };
  const logs: string[] = [];
  await using palot = await createServices(config, {
    env: world.env,
    log: (tag, line) => logs.push(`[${tag}] ${line}`),
    searchDelayMs: 0,
  });
  const { supervisor, live, search } = palot.services;
  const app = createApp({ ...palot.services, config });
  const origin = `http://127.0.0.1:${port}`;
  const call = (path: string, init: RequestInit = {}) =>
    app.request(`${origin}${path}`, {
      ...init,
      headers: {
        host: `127.0.0.1:${port}`,
        origin,
        "content-type": "application/json",
        ...init.headers,
      },
    });
  palot.start();
  try {
    await supervisor.ready();
    await waitFor(() => live.connected, { timeoutMs: 30_000, message: "the event stream" });
    const directory = `directory=${encodeURIComponent(project)}`;
    const created = await call(`/api/opencode/session?${directory}`, {
      method: "POST",
      body: JSON.stringify({ title: "Wired" }),
    });
    assert.equal(created.status, 200);
    const { id } = await created.json() as { id: string };
    llm.enqueue({ text: "A reply about pelicans" });
    const sent = await call(`/api/opencode/session/${id}/prompt_async?${directory}`, {
      method: "POST",
      body: JSON.stringify({ parts: [{ type: "text", text: "Tell me about birds" }] }),
    });
    assert.ok(sent.ok, `prompt_async answered ${sent.status}`);
    await waitFor(() => live.index.get(id)?.status === "busy", { message: "busy" });
    await waitFor(() => live.index.get(id)?.status === undefined, {
      timeoutMs: 30_000,
      message: "idle after the reply",
    });
    const page = await (await call(`/session/${id}`)).text();
    assert.match(page, /A reply about pelicans/);
    await waitFor(() => search.search("pelicans", { limit: 5 }).hits.length > 0, {
      timeoutMs: 30_000,
      message: "the reply in the search index",
    });
  } catch (error) {
    console.log(logs.join("\n"));
    throw error;
  }
  const pid = supervisor.snapshot().pid!;
  await palot.stop();
  assert.throws(() => Deno.kill(pid, "SIGCONT"), Deno.errors.NotFound, "OpenCode still runs");
});
