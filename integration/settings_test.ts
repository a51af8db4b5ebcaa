/**
 * Settings over real HTTP against the real opencode behind Palot: providers with their state and
 * models, an API key saved through OpenCode and offered to a project already running without a
 * restart, the bad inputs (empty key, unknown provider, another site), OAuth through OpenCode's
 * endpoints, and the MCP servers of a project connected and disconnected.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { fakeMcpConfig } from "../testing/fake_mcp.ts";
import { startPalot } from "../testing/palot.ts";
import { OpencodeWorld, waitFor } from "../testing/world.ts";

Deno.test("Settings: providers, API keys, OAuth and MCP servers through OpenCode", async () => {
  await using world = await OpencodeWorld.create();
  const alpha = await world.makeProject("alpha");
  await Deno.writeTextFile(
    join(alpha, "opencode.json"),
    JSON.stringify({
      mcp: {
        fake: fakeMcpConfig(),
      },
    }),
  );
  await using palot = await startPalot(world);
  await waitFor(
    async () => (await (await palot.fetch("/api/opencode")).json()).status === "ready",
    {
      timeoutMs: 120_000,
      message: "OpenCode ready",
    },
  );
  const post = (path: string, form: Record<string, string>, origin = palot.url) =>
    palot.fetch(path, {
      method: "POST",
      headers: { origin, "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams(form).toString(),
      redirect: "manual",
    });
  /** The providers alpha's toolbar offers (waiting out an instance that is still booting). */
  const providerIds = () =>
    waitFor(async () => {
      const response = await palot.fetch(
        `/api/opencode/config/providers?directory=${encodeURIComponent(alpha)}`,
      );
      const body = await response.json();
      return response.ok
        ? body.providers.map((provider: { id: string }) => provider.id) as string[]
        : undefined;
    }, { timeoutMs: 120_000, message: "alpha's providers" });
  // alpha's instance is running, without DeepSeek.
  assert.ok(!(await providerIds()).includes("deepseek"));

  const settings = await palot.fetch(`/settings?directory=${encodeURIComponent(alpha)}`);
  const html = await settings.text();
  assert.equal(settings.status, 200);
  const section = (id: string, page = html) => {
    const start = page.indexOf(`id="provider-${id}"`);
    assert.ok(start > 0, id);
    return page.slice(start, page.indexOf("</details>", start));
  };
  assert.match(section("deepseek"), /Needs a key/);
  assert.match(section("deepseek"), /Models: .*DeepSeek/);
  assert.match(section("deepseek"), /<label for="key-deepseek">API key<\/label>/);
  assert.match(section("mock"), /Free/, "a configured provider whose models cost nothing");
  assert.match(section("opencode"), /Free/);
  assert.match(section("openai"), /opencode auth login/);
  assert.match(html, /<a class="topbar-link" href="\/settings">(<svg[^]*?<\/svg>)?Settings<\/a>/);
  // The MCP servers of the chosen project.
  assert.match(html, /<strong>fake<\/strong>/);

  // Bad input: an empty key, a provider that does not exist, another site.
  const empty = await post("/settings/providers/deepseek/key", { key: "  " });
  assert.equal(empty.status, 400);
  assert.match(section("deepseek", await empty.text()), /Paste the API key first/);
  const unknown = await post("/settings/providers/no-such-provider/key", { key: "sk-x" });
  assert.equal(unknown.status, 404);
  assert.match(await unknown.text(), /There is no provider &quot;no-such-provider&quot;/);
  const foreign = await post(
    "/settings/providers/deepseek/key",
    { key: "sk-x" },
    "http://evil.example",
  );
  await foreign.body?.cancel();
  assert.equal(foreign.status, 403);
  assert.ok(!(await providerIds()).includes("deepseek"), "nothing was saved");

  // A key saved: OpenCode has it, Palot does not show or log it, and the running project offers
  // the provider's models at once.
  const saved = await post("/settings/providers/deepseek/key", { key: "sk-deepseek-secret" });
  await saved.body?.cancel();
  assert.equal(saved.status, 303);
  // DeepSeek's API is out of reach (tests reach this machine only: testing/world.ts): the key is
  // saved, and the page is told why it is unchecked.
  const location = new URL(saved.headers.get("location")!, palot.url);
  assert.equal(location.pathname + location.hash, "/settings#provider-deepseek");
  assert.equal(location.searchParams.get("saved"), "deepseek");
  assert.match(location.searchParams.get("unchecked") ?? "", /^DeepSeek could not be reached/);
  const after = await (await palot.fetch("/settings?saved=deepseek")).text();
  assert.match(section("deepseek", after), /Connected/);
  assert.match(section("deepseek", after), /Saved in OpenCode/);
  assert.ok(!after.includes("sk-deepseek-secret"));
  assert.ok(!palot.logs.join("\n").includes("sk-deepseek-secret"));
  const auth = JSON.parse(
    await Deno.readTextFile(join(world.env.XDG_DATA_HOME, "opencode", "auth.json")),
  );
  assert.deepEqual(auth.deepseek, { type: "api", key: "sk-deepseek-secret" });
  assert.ok((await providerIds()).includes("deepseek"), "offered without a restart");

  // OAuth through OpenCode's own endpoints: a sign-in link to open, and a way to finish.
  const oauth = await post("/settings/providers/openai/oauth", { method: "0" });
  const oauthHtml = await oauth.text();
  assert.equal(oauth.status, 200);
  assert.match(section("openai", oauthHtml), /href="https:\/\/auth\.openai\.com\//);
  assert.match(section("openai", oauthHtml), /Finish sign-in/);

  // MCP: connected, then disconnected, then connected again.
  const mcpStatus = async () => {
    const page = await (await palot.fetch(`/settings?directory=${encodeURIComponent(alpha)}`))
      .text();
    return page.match(/<strong>fake<\/strong><span class="provider-state[^"]*">([^<]*)/)?.[1];
  };
  await waitFor(async () => (await mcpStatus()) === "Connected", {
    timeoutMs: 60_000,
    message: "the MCP server connected",
  });
  const query = `?directory=${encodeURIComponent(alpha)}`;
  const off = await post(`/settings/mcp/fake/disconnect${query}`, {});
  await off.body?.cancel();
  assert.equal(off.status, 303);
  assert.equal(await mcpStatus(), "Disconnected");
  const on = await post(`/settings/mcp/fake/connect${query}`, {});
  await on.body?.cancel();
  assert.equal(on.status, 303);
  assert.equal(await mcpStatus(), "Connected");
  const missing = await post(`/settings/mcp/nope/connect${query}`, {});
  assert.equal(missing.status, 502);
  assert.match(await missing.text(), /Cannot change &quot;nope&quot;/);
});
