/**
 * Another machine's project pages have what this machine's have, over real HTTP on loopback (a
 * second real `opencode serve` with its own HOME stands in for the machine): the sidebar with that
 * machine's projects and the project's sessions (linking to its pages), the `Worktrees` section
 * with each worktree OpenCode made there and its sessions, the `Terminals` section with the
 * terminals running in its folder and `End`, and on New session the docked Terminal. Search finds
 * the words of its messages (read through its API) and opens its session there.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { FakeLlm } from "../testing/fake_llm.ts";
import { startPalot } from "../testing/palot.ts";
import { OpencodeWorld, waitFor } from "../testing/world.ts";
import { copyFirstMessage } from "../testing/copy_messages.ts";

Deno.test("another machine's project page: sidebar, Worktrees, Terminals with End; its messages found by search", async () => {
  await using llm = await FakeLlm.start();
  await using world = await OpencodeWorld.create();
  await using other = await OpencodeWorld.create({ llm });
  const far = await other.makeProject("far-pages");
  await using remote = await other.startOpencode();
  const client = remote.client(far);
  const main = (await client.session.create({ title: "Main line" })).data!;
  const worktree = (await remote.fetch(
    `/experimental/worktree?directory=${encodeURIComponent(far)}`,
    {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ name: "side" }),
    },
  ).then((response) => response.json())) as { directory: string; branch: string };
  const side = (await remote.client(worktree.directory).session.create({ title: "Side quest" }))
    .data!;
  const pty = (await client.pty.create({ cwd: far, title: "far shell" })).data!;

  await using palot = await startPalot(world);
  const added = await palot.fetch("/settings/servers", {
    method: "POST",
    headers: { origin: palot.url, "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ address: remote.url, password: remote.password, name: "Far" })
      .toString(),
    redirect: "manual",
  });
  assert.equal(added.status, 303, await added.text());
  const projectHref = `/s/far/project/${encodeURIComponent(main.projectID)}`;
  const page = await waitFor(async () => {
    const response = await palot.fetch(projectHref);
    const text = await response.text();
    return response.ok && text.includes("Side quest") ? text : undefined;
  }, { timeoutMs: 30_000, message: "the remote project page with its worktree's session" });

  // The sidebar: that machine's projects and this project's sessions, on its pages.
  const sidebar = page.slice(page.indexOf('aria-label="Projects"'));
  assert.match(sidebar, new RegExp(`href="${projectHref}"[^>]*>far-pages<`));
  assert.match(sidebar, /aria-label="Sessions of far-pages"/);
  assert.ok(sidebar.includes(`href="/s/far/session/${main.id}"`), "a session in the sidebar");

  // Worktrees: the one OpenCode made there, with its session linking to that machine's page.
  const worktrees = page.slice(page.indexOf('id="worktrees-title"'));
  assert.ok(page.includes('id="worktrees-title"'), "a Worktrees section");
  assert.ok(worktrees.includes(worktree.branch), worktrees.slice(0, 400));
  assert.ok(worktrees.includes(`href="/s/far/session/${side.id}"`));

  // Terminals: the one running in its folder, with End, which ends it on that machine.
  assert.ok(page.includes('id="terminals-title"'), "a Terminals section");
  assert.ok(page.includes('aria-label="End far shell"'));
  const ended = await palot.fetch(
    `${projectHref}/terminals/${encodeURIComponent(pty.id)}/end`,
    { method: "POST", headers: { origin: palot.url }, redirect: "manual" },
  );
  assert.equal(ended.status, 303, await ended.text());
  assert.equal(ended.headers.get("location"), `${projectHref}#terminals`);
  const left = await (await remote.fetch(`/pty?directory=${encodeURIComponent(far)}`)).json();
  assert.ok(
    !left.some((each: { id: string; status: string }) =>
      each.id === pty.id && each.status === "running"
    ),
    JSON.stringify(left),
  );
  assert.ok(!(await (await palot.fetch(projectHref)).text()).includes("End far shell"));

  // New session: the docked Terminal and the sidebar; a session page marks itself there.
  const newPage = await (await palot.fetch(`${projectHref}/new`)).text();
  assert.ok(newPage.includes('data-island="Terminal"'), "the Terminal island");
  assert.match(newPage, /aria-label="Sessions of far-pages"/);
  // New worktree is offered for that machine's git project (its server makes the worktree).
  assert.match(newPage, /<input type="checkbox"[^>]*>New worktree/);
  assert.doesNotMatch(newPage, /new-worktree-reason/);
  // Worktree actions there: the confirmations of a worktree's session, none for the checkout's.
  const merge = await (await palot.fetch(`/s/far/worktree/merge?session=${side.id}`)).text();
  assert.match(merge, /Merge opencode\/side into main/);
  assert.match(merge, /Nothing new to bring in/);
  assert.match(merge, new RegExp(`action="/s/far/worktree/merge\\?session=${side.id}"`));
  const removal = await (await palot.fetch(`/s/far/worktree/delete?session=${side.id}`)).text();
  assert.match(removal, /nothing will be lost/);
  const none = await palot.fetch(`/s/far/worktree/merge?session=${main.id}`);
  assert.equal(none.status, 404);
  assert.match(await none.text(), /no worktree to merge or delete/);
  const unknown = await palot.fetch("/api/servers/nowhere/worktrees", {
    method: "POST",
    headers: { origin: palot.url, "content-type": "application/json" },
    body: JSON.stringify({ directory: far, message: "x" }),
  });
  assert.equal(unknown.status, 404);
  await unknown.body?.cancel();
  // A folder there without git: OpenCode's refusal, said as that machine's.
  const plain = await other.makeProject("far-plain", { git: false });
  const refused = await palot.fetch("/api/servers/far/worktrees", {
    method: "POST",
    headers: { origin: palot.url, "content-type": "application/json" },
    body: JSON.stringify({ directory: plain, message: "Try it" }),
  });
  assert.equal(refused.status, 502);
  const said = (await refused.json()).error;
  assert.match(said, /^Far answered: /);
  assert.doesNotMatch(said, /[{}]/, `OpenCode's words, not its JSON: ${said}`);
  const sessionPage = await (await palot.fetch(`/s/far/session/${main.id}`)).text();
  assert.match(
    sessionPage,
    new RegExp(`href="/s/far/session/${main.id}"[^>]*aria-current="page"`),
  );

  // An old session under 60 newer ones: Palot's index of that machine's messages reads them all.
  const old = (await client.session.create({ title: "Old notes" })).data!;
  await remote.fetch(`/session/${old.id}/message?directory=${encodeURIComponent(far)}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      noReply: true,
      parts: [{ type: "text", text: "The wombat burrow map" }],
    }),
  }).then((response) => response.text());
  for (let n = 0; n < 60; n++) await client.session.create({ title: `Newer ${n}` });

  // Search: a word of its messages (not of any title) finds the session on that machine.
  llm.enqueue({ text: "The quokkas of Rottnest are friendly." });
  await client.session.promptAsync({
    sessionID: side.id,
    directory: worktree.directory,
    parts: [{ type: "text", text: "Tell me about quokkas" }],
  });
  const search = await waitFor(async () => {
    const text = await (await palot.fetch("/search?q=Rottnest+quokkas")).text();
    return text.includes('aria-label="Messages on other machines"') ? text : undefined;
  }, { timeoutMs: 30_000, message: "the remote message in the search results" });
  const found = search.slice(search.indexOf('aria-label="Messages on other machines"'));
  assert.match(found, new RegExp(`href="/s/far/session/${side.id}\\?at=msg_[^"]+#message-msg_`));
  assert.match(found, /<mark>Rottnest<\/mark>/);
  assert.match(found, /Far · /);
  assert.ok(!found.includes(`/s/far/session/${main.id}`), "only the session that says it");

  const wombat = await waitFor(async () => {
    const text = await (await palot.fetch("/search?q=wombat+burrow")).text();
    return text.includes(`/s/far/session/${old.id}?at=`) && !text.includes("Still reading")
      ? text
      : undefined;
  }, { timeoutMs: 30_000, message: "a message of the 61st newest session, once all are read" });
  assert.match(wombat, /<mark>wombat<\/mark>/);

  // A match older than the chat's live window: the session page renders it above, at its anchor.
  const long = (await client.session.create({ title: "Long talk" })).data!;
  const say = (text: string) =>
    remote.fetch(`/session/${long.id}/message?directory=${encodeURIComponent(far)}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ noReply: true, parts: [{ type: "text", text }] }),
    }).then((response) => response.text());
  await say("Ningaloo reef comes first");
  for (let i = 0; i < 55; i++) await say(`Later note ${i}`);
  const longSearch = await waitFor(async () => {
    const text = await (await palot.fetch("/search?q=Ningaloo")).text();
    return text.includes(`/s/far/session/${long.id}?at=`) ? text : undefined;
  }, { timeoutMs: 30_000, message: "the old remote message in the search results" });
  const href = new RegExp(`href="(/s/far/session/${long.id}\\?at=(msg_[^"#]+)#[^"]+)"`)
    .exec(longSearch)!;
  const longPage = await (await palot.fetch(href[1].replaceAll("&amp;", "&"))).text();
  const history = longPage.slice(longPage.indexOf('aria-label="Earlier messages"'));
  assert.ok(longPage.includes('aria-label="Earlier messages"'), "the messages before the window");
  assert.ok(history.includes(`id="message-${href[2]}"`), "the matching message, at its anchor");
  assert.ok(history.includes("Ningaloo reef comes first"));

  // A longer history than a page shows: a link to the whole of it (`?all=1`), as on this machine.
  // (Messages copied in that machine's own storage, as the fault test does on this one's.)
  const db = new DatabaseSync(join(other.dataDir, "opencode.db"));
  try {
    copyFirstMessage(db, long.id, 250, "msg_copy_");
  } finally {
    db.close();
  }
  const longHref = `/s/far/session/${long.id}`;
  const latest = await (await palot.fetch(longHref)).text();
  assert.ok(latest.includes(`href="${longHref}?all=1"`), "Show the whole history");
  assert.ok(!latest.includes('id="message-msg_copy_00000"'), "the oldest is not on the page");
  const whole = await (await palot.fetch(`${longHref}?all=1`)).text();
  assert.ok(whole.includes('id="message-msg_copy_00000"'), "?all=1 has the oldest");
  assert.ok(!whole.includes("Show the whole history"));
});
