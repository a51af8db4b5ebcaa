/**
 * Another machine's project pages have what this machine's have, over real HTTP on loopback (a
 * second real `opencode serve` with its own HOME stands in for the machine): the sidebar with that
 * machine's projects and the project's sessions (linking to its pages), the `Worktrees` section
 * with each worktree OpenCode made there and its sessions, the `Terminals` section with the
 * terminals running in its folder and `End`, and on New session the docked Terminal. Search finds
 * the words of its messages (read through its API) and opens its session there.
 */

import assert from "node:assert/strict";
import { FakeLlm } from "../testing/fake_llm.ts";
import { startPalot } from "../testing/palot.ts";
import { OpencodeWorld, waitFor } from "../testing/world.ts";

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
  // New worktree uses this machine's git: not offered there, with why.
  assert.match(
    newPage,
    /<input type="checkbox" disabled[^>]*aria-describedby="new-worktree-reason"/,
  );
  assert.ok(
    newPage.includes("(this machine&#39;s projects only)") ||
      newPage.includes("(this machine's projects only)"),
  );
  const sessionPage = await (await palot.fetch(`/s/far/session/${main.id}`)).text();
  assert.match(
    sessionPage,
    new RegExp(`href="/s/far/session/${main.id}"[^>]*aria-current="page"`),
  );

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
});
