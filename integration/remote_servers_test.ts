/**
 * Other machines' OpenCode servers over real HTTP on loopback: a second real `opencode serve`
 * with its own HOME and password stands in for another machine. Settings → Servers refuses each
 * bad input with why (no scheme, refused, wrong password, a web page, a server that never answers,
 * the same address twice, Palot itself) and saves a good one (mode 0600, the password never in a
 * page); the home page lists its projects under its name; a chat through Palot's per-server proxy
 * is answered by the fake LLM; killed, it is `Offline` with the reason while the rest of Palot
 * answers; back on the same port, it resumes without a reload; renamed and removed.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { FakeLlm } from "../testing/fake_llm.ts";
import { startPalot } from "../testing/palot.ts";
import { freePort, OpencodeWorld, waitFor } from "../testing/world.ts";

Deno.test("Servers: another machine's OpenCode added, listed, chatted with, offline and back", async () => {
  await using llm = await FakeLlm.start();
  await using world = await OpencodeWorld.create();
  const near = await world.makeProject("local-one");
  await using other = await OpencodeWorld.create({ llm });
  const far = await other.makeProject("far-away");
  let remote = await other.startOpencode();
  await remote.client(far).session.create({ title: "Remote plans" });
  await using palot = await startPalot(world);
  const post = (path: string, form: Record<string, string>) =>
    palot.fetch(path, {
      method: "POST",
      headers: { origin: palot.url, "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams(form).toString(),
      redirect: "manual",
    });
  const refusal = async (form: Record<string, string>, words: RegExp) => {
    const response = await post("/settings/servers", form);
    const html = await response.text();
    assert.equal(response.status, 422, html.slice(0, 200));
    const alert = (html.match(/id="server-add-error"[^>]*>([^<]*)</)?.[1] ?? "")
      .replaceAll("&quot;", '"').replaceAll("&amp;", "&");
    assert.match(alert, words);
    assert.ok(!html.includes(remote.password), "the password is never in a page");
  };

  // Bad input, each with why.
  await refusal({ address: "127.0.0.1:4096", password: "x" }, /no scheme: write http:\/\//);
  await refusal({ address: `http://127.0.0.1:${freePort()}`, password: "x" }, /refused/);
  await refusal({ address: remote.url, password: "wrong" }, /Wrong password/);
  await using html = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen: () => {} },
    () =>
      new Response("<html><body>Router</body></html>", {
        headers: { "content-type": "text/html" },
      }),
  );
  await refusal(
    { address: `http://127.0.0.1:${html.addr.port}`, password: "x" },
    /not an OpenCode server \(it answered a web page\)/,
  );
  const silent = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const started = Date.now();
  await refusal(
    { address: `http://127.0.0.1:${silent.addr.port}`, password: "x" },
    /did not answer within 5 s/,
  );
  assert.ok(Date.now() - started < 15_000);
  silent.close();
  await refusal({ address: palot.url, password: "x" }, /is Palot itself/);

  // A good one is saved, with its password in a file only its owner reads.
  const added = await post("/settings/servers", {
    address: remote.url,
    password: remote.password,
    name: "Desk box",
  });
  assert.equal(added.status, 303, await added.text());
  const file = join(world.env.XDG_STATE_HOME, "palot", "servers.json");
  assert.equal((await Deno.stat(file)).mode! & 0o777, 0o600);
  assert.ok((await Deno.readTextFile(file)).includes(remote.password));
  await refusal(
    { address: `${remote.url}/`, password: remote.password },
    /already added, as "Desk box"/,
  );
  const settings = await (await palot.fetch("/settings")).text();
  assert.ok(settings.includes("Desk box") && !settings.includes(remote.password));

  // A local session, through this machine's OpenCode.
  await waitFor(
    async () =>
      (await palot.fetch(`/api/opencode/session?directory=${encodeURIComponent(near)}`, {
        method: "POST",
        headers: { origin: palot.url, "content-type": "application/json" },
        body: JSON.stringify({ title: "Near plans" }),
      })).ok,
    { timeoutMs: 120_000, message: "a local session" },
  );

  // The home page lists its project under its name, online.
  const home = async () => await (await palot.fetch("/")).text();
  const page = await waitFor(async () => {
    const text = await home();
    return text.includes("far-away") && text.includes("Online") ? text : undefined;
  }, { timeoutMs: 30_000, message: "the remote project on the home page" });
  assert.ok(page.indexOf("This machine") < page.indexOf("Desk box"), "local first");
  assert.ok(page.includes("local-one"));
  const projectHref = page.match(/href="(\/s\/desk-box\/project\/[^"]+)"/)?.[1];
  assert.ok(projectHref, "a link to the remote project");
  const projectPage = await (await palot.fetch(projectHref)).text();
  assert.ok(projectPage.includes("Remote plans"));
  // Its titles in the palette and on the search page, linking to its pages.
  const palette = await (await palot.fetch("/api/palette?q=remote%20plans")).json();
  assert.ok(
    palette.items.some((item: { href?: string; detail?: string }) =>
      item.href?.startsWith("/s/desk-box/session/") && item.detail?.startsWith("Desk box")
    ),
    JSON.stringify(palette.items),
  );
  const search = await (await palot.fetch("/search?q=Remote+plans")).text();
  assert.match(search, /On other machines[\s\S]*href="\/s\/desk-box\/session\/ses_/);

  // A chat through Palot's proxy for that server, answered by the fake LLM.
  llm.enqueue({ text: "Hello from the far machine" });
  const api = (path: string, init: RequestInit = {}) =>
    palot.fetch(`/api/servers/desk-box/opencode${path}`, {
      ...init,
      headers: { origin: palot.url, "content-type": "application/json", ...init.headers },
    });
  const created = await (await api(`/session?directory=${encodeURIComponent(far)}`, {
    method: "POST",
    body: JSON.stringify({ title: "Through Palot" }),
  })).json();
  assert.ok(created.id);
  const sent = await api(
    `/session/${created.id}/prompt_async?directory=${encodeURIComponent(far)}`,
    { method: "POST", body: JSON.stringify({ parts: [{ type: "text", text: "hi" }] }) },
  );
  assert.equal(sent.status, 204, await sent.text());
  await waitFor(async () => {
    const messages =
      await (await api(`/session/${created.id}/message?directory=${encodeURIComponent(far)}`))
        .json();
    return JSON.stringify(messages).includes("Hello from the far machine");
  }, { timeoutMs: 60_000, message: "the remote reply" });
  assert.equal((await api("/global/dispose", { method: "POST" })).status, 404, "allow-list");
  const sessionPage = await (await palot.fetch(`/s/desk-box/session/${created.id}`)).text();
  assert.ok(sessionPage.includes("Hello from the far machine"));

  // Killed: Offline with the reason; the rest of Palot answers at once.
  const port = new URL(remote.url).port;
  const password = remote.password;
  await remote.stop();
  const offline = await waitFor(async () => {
    const text = await home();
    return text.includes("Offline: Connection refused") ? text : undefined;
  }, { timeoutMs: 30_000, message: "Offline on the home page" });
  assert.ok(offline.includes("far-away") && offline.includes("last seen"));
  assert.ok(offline.includes("local-one"));
  const t0 = Date.now();
  assert.equal((await palot.fetch(projectHref)).status, 200);
  assert.ok(Date.now() - t0 < 5_000, "a remote page renders from the cache");

  // Back on the same port: resumes.
  remote = await other.startOpencode({ port: Number(port), password });
  await waitFor(async () => (await home()).includes("Online"), {
    timeoutMs: 30_000,
    message: "back online",
  });

  // Its messages were indexed in Palot's state folder; removed, the index goes with it.
  const index = join(world.env.XDG_STATE_HOME, "palot", "remote-search", "desk-box.db");
  assert.ok(await Deno.stat(index).then(() => true, () => false), "its index file");

  // Renamed, removed.
  assert.equal((await post("/settings/servers/desk-box/rename", { name: "Cloud VM" })).status, 303);
  assert.ok((await home()).includes("Cloud VM"));
  assert.equal((await post("/settings/servers/desk-box/remove", {})).status, 303);
  assert.ok(!(await home()).includes("far-away"));
  assert.equal(await Deno.stat(index).then(() => true, () => false), false, "its index is gone");
  await remote.stop();
});
