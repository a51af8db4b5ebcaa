/**
 * Open folder over real HTTP, against the real opencode behind Palot: completion and checks of
 * the local disk, `/new?directory=` for a git and a plain folder, `Initialise git`, the recent
 * folders, the positional folder on the command line, and the same-origin and token rules.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { startPalot } from "../testing/palot.ts";
import { OpencodeWorld, waitFor } from "../testing/world.ts";

Deno.test("Open folder: completion, checks, /new for any folder, Initialise git, recent folders, positional folder", async () => {
  await using world = await OpencodeWorld.create();
  const home = world.env.HOME;
  const repo = await world.makeProject("repo");
  const plain = join(home, "code", "plain");
  await Deno.mkdir(plain, { recursive: true });
  await Deno.mkdir(join(home, "code", ".secret"));
  await Deno.writeTextFile(join(home, "code", "notes.txt"), "a file");
  await using palot = await startPalot(world, { args: ["~/code/plain"] });
  // The positional folder: its New session address is printed after the ready line.
  const printed = palot.logs.find((line) => line.startsWith("New session in "));
  assert.equal(
    printed,
    `New session in ${plain}: ${palot.url}/new?directory=${encodeURIComponent(plain)}`,
  );
  const json = async (path: string) => await (await palot.fetch(path)).json();

  assert.deepEqual(await json("/api/folders/complete?path=~/co"), {
    folders: ["~/code/"],
    partial: false,
  });
  assert.deepEqual((await json("/api/folders/complete?path=~/code/")).folders, ["~/code/plain/"]);
  assert.deepEqual((await json("/api/folders/complete?path=~/code/.")).folders, [
    "~/code/.secret/",
  ]);
  assert.deepEqual(await json("/api/folders/check?path=~/code/plain/"), { ok: true, path: plain });
  for (
    const [path, message] of [
      ["", /^Type the path of a folder/],
      ["code/plain", /relative path/],
      ["~/code/missing", /^There is no folder/],
      ["~/code/notes.txt", /is a file, not a folder/],
    ]
  ) {
    const check = await json(`/api/folders/check?path=${encodeURIComponent(path as string)}`);
    assert.equal(check.ok, false);
    assert.match(check.error, message as RegExp);
  }

  // /new for a path as typed redirects to its one address; a bad one sends the form back.
  const typed = await palot.fetch("/new?directory=~/code/plain/", { redirect: "manual" });
  await typed.body?.cancel();
  assert.equal(typed.status, 302);
  assert.equal(typed.headers.get("location"), `/new?directory=${encodeURIComponent(plain)}`);
  const bad = await palot.fetch("/new?directory=~/code/notes.txt");
  const badHtml = await bad.text();
  assert.equal(bad.status, 400);
  assert.match(badHtml, /is a file, not a folder/);
  assert.match(badHtml, /value="~\/code\/notes.txt"/, "the typed path is kept in the field");

  // A plain folder: a New session page with the note about git and Initialise git.
  const page = await palot.fetch(`/new?directory=${encodeURIComponent(plain)}`);
  const html = await page.text();
  assert.equal(page.status, 200);
  assert.match(html, /<title>New session · plain · Palot<\/title>/);
  assert.match(html, /undo of its file\s+changes needs git/);
  assert.match(html, />Initialise git<\/button>/);
  assert.match(html, /data-island="Chat"/);
  // Initialise git goes through OpenCode (needs it ready) and then the note is gone.
  await waitFor(async () => (await json("/api/opencode")).status === "ready", {
    timeoutMs: 120_000,
    message: "OpenCode ready",
  });
  const init = await palot.fetch(`/new/git?directory=${encodeURIComponent(plain)}`, {
    method: "POST",
    headers: { origin: palot.url },
    redirect: "manual",
  });
  await init.body?.cancel();
  assert.equal(init.status, 303);
  assert.ok((await Deno.stat(join(plain, ".git"))).isDirectory, "git init ran in the folder");
  const after = await (await palot.fetch(`/new?directory=${encodeURIComponent(plain)}`)).text();
  assert.doesNotMatch(after, /Initialise git/);
  // A git folder has no note.
  const repoHtml = await (await palot.fetch(`/new?directory=${encodeURIComponent(repo)}`)).text();
  assert.doesNotMatch(repoHtml, /Initialise git/);

  // The home page has the form and lists the folders opened, newest first.
  const homeHtml = await (await palot.fetch("/")).text();
  assert.match(homeHtml, /aria-label="Open folder"/);
  assert.match(homeHtml, /<label for="folder-path">Folder path<\/label>/);
  assert.ok(
    homeHtml.indexOf(`>${repo}</a>`) > 0 && homeHtml.indexOf(`>${repo}</a>`) <
        homeHtml.indexOf(`>${plain}</a>`),
    "recent folders, newest first",
  );
  const recent = JSON.parse(
    await Deno.readTextFile(join(world.env.XDG_STATE_HOME, "palot", "recent-folders.json")),
  );
  assert.deepEqual(recent, [repo, plain], "kept in Palot's own state folder");

  // A cross-site POST cannot initialise git anywhere.
  const foreign = await palot.fetch(`/new/git?directory=${encodeURIComponent(repo)}`, {
    method: "POST",
    headers: { origin: "http://evil.example" },
  });
  await foreign.body?.cancel();
  assert.equal(foreign.status, 403);
});

Deno.test("Open folder needs the token like every request, and a bad positional folder stops the start", async () => {
  await using world = await OpencodeWorld.create();
  await using palot = await startPalot(world, {
    args: ["--token", "s3cret-0123456789ab", world.env.HOME],
  });
  // Printed after the ready line, which may be all that has arrived when startPalot returns.
  const printed = await waitFor(
    () => palot.logs.find((line) => line.startsWith("New session in ")),
    { message: "the New session line" },
  );
  assert.ok(printed.endsWith(`&token=s3cret-0123456789ab`), printed);
  const denied = await palot.fetch("/api/folders/complete?path=~/");
  await denied.body?.cancel();
  assert.equal(denied.status, 401);
  const allowed = await palot.fetch("/api/folders/complete?path=/", {
    headers: { authorization: "Bearer s3cret-0123456789ab" },
  });
  assert.equal(allowed.status, 200);
  assert.ok((await allowed.json()).folders.length > 0);

  const output = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", join(import.meta.dirname!, "..", "main.ts"), "/no/such/folder"],
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.equal(output.code, 2);
  assert.equal(
    new TextDecoder().decode(output.stderr).trim(),
    'palot: Cannot open the folder: There is no folder "/no/such/folder"',
  );
});
