/**
 * The worktree pages and endpoints over real HTTP, against a real Palot, the real opencode and
 * git: `POST /api/worktrees` (same-origin only; a folder without git refused with the reason), the
 * Merge confirmation and its refusal of a conflict (409, both sides unchanged), Merge and Delete
 * refused while a session in the worktree works ("stop it first"), `Forget` of a folder deleted by
 * hand on the project page, and Delete worktree leaving the session's page readable with a note.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { FakeLlm } from "../testing/fake_llm.ts";
import { postToOpencode, startPalot } from "../testing/palot.ts";
import { OpencodeWorld, waitFor } from "../testing/world.ts";

const exists = (path: string) => Deno.stat(path).then(() => true, () => false);

Deno.test("worktree routes: create, merge refusals, working refusal, forget, delete", async () => {
  await using llm = await FakeLlm.start();
  await using world = await OpencodeWorld.create({ llm });
  const repo = await world.makeProject("routes");
  const plain = await world.makeProject("plain", { git: false });
  await using palot = await startPalot(world);
  const sh = (cwd: string, ...args: string[]) => world.run("git", args, cwd);
  const project = await waitFor(async () => {
    const response = await palot.fetch(
      `/api/opencode/project/current?directory=${encodeURIComponent(repo)}`,
    );
    return response.ok ? (await response.json()).id as string : undefined;
  }, { timeoutMs: 120_000, message: "the project known to OpenCode" });
  const create = (directory: string, message: string, origin?: string) =>
    palot.fetch("/api/worktrees", {
      method: "POST",
      headers: { "content-type": "application/json", ...(origin ? { origin } : {}) },
      body: JSON.stringify({ directory, message }),
    });

  // Another site cannot make one; a folder without git is refused with the reason.
  const foreign = await create(repo, "Evil", "http://evil.example");
  assert.equal(foreign.status, 403);
  await foreign.body?.cancel();
  const notGit = await create(plain, "Anything");
  assert.equal(notGit.status, 400);
  assert.match((await notGit.json()).error, /not a git repository.*initialise git/);

  const made = await create(repo, "Change the README", palot.url);
  assert.equal(made.status, 200);
  const worktree = await made.json();
  assert.equal(worktree.branch, "opencode/change-the-readme");
  const session = await postToOpencode(palot, "/session", worktree.directory, {});
  assert.equal(session.projectID, project);

  // A conflict: refused on the confirmation and on POST, both sides unchanged.
  await Deno.writeTextFile(join(worktree.directory, "README.md"), "# from the worktree\n");
  await Deno.writeTextFile(join(repo, "README.md"), "# from main\n");
  await sh(repo, "commit", "-qam", "Main's README");
  const state = async () => ({
    main: await sh(repo, "log", "--all", "--format=%H"),
    mainStatus: await sh(repo, "status", "--porcelain"),
    tree: await sh(worktree.directory, "status", "--porcelain"),
    readme: await Deno.readTextFile(join(worktree.directory, "README.md")),
  });
  const before = await state();
  const confirm = await palot.fetch(`/worktree/merge?session=${session.id}`);
  assert.equal(confirm.status, 409);
  const confirmHtml = await confirm.text();
  assert.match(confirmHtml, /conflicts in README\.md/);
  assert.doesNotMatch(confirmHtml, /<button type="submit" class="button primary">Merge/);
  const refused = await palot.fetch(`/worktree/merge?session=${session.id}`, { method: "POST" });
  assert.equal(refused.status, 409);
  assert.match(await refused.text(), /conflicts in README\.md: nothing was changed/);
  assert.deepEqual(await state(), before);

  // While a session in it works, Merge and Delete are refused: stop it first.
  llm.enqueue({ text: "slow ".repeat(400), chunkSize: 5, chunkDelayMs: 50 });
  await postToOpencode(palot, `/session/${session.id}/prompt_async`, worktree.directory, {
    parts: [{ type: "text", text: "Work slowly" }],
  });
  await waitFor(async () => {
    const page = await (await palot.fetch(`/worktree/delete?session=${session.id}`)).text();
    return /stop it first/.test(page);
  }, { timeoutMs: 30_000, message: "the delete confirmation saying stop it first" });
  // The home page counts it under its project, labelled with the branch.
  const home = await (await palot.fetch("/")).text();
  assert.match(home, /class="worktree-tag"[^>]*>routes · opencode\/change-the-readme</);
  assert.match(home, /class="badge busy">1 working</);
  assert.doesNotMatch(home, new RegExp(`class="project-path">${worktree.directory}<`));
  const busyDelete = await palot.fetch(`/worktree/delete?session=${session.id}`, {
    method: "POST",
  });
  assert.equal(busyDelete.status, 409);
  assert.match(await busyDelete.text(), /working: stop it first/);
  assert.ok(await exists(worktree.directory));
  await postToOpencode(palot, `/session/${session.id}/abort`, worktree.directory, {});
  llm.clear();

  // A folder deleted by hand: listed as missing on the project page, and forgotten.
  const lost = await (await create(repo, "Lost work", palot.url)).json();
  await Deno.remove(lost.directory, { recursive: true });
  const listed = await waitFor(async () => {
    const html = await (await palot.fetch(`/project/${project}`)).text();
    return html.includes("opencode/lost-work") && html.includes(">missing<") ? html : undefined;
  }, { message: "the missing worktree listed" });
  assert.match(listed, /id="worktrees-title">Worktrees/);
  assert.match(listed, /opencode\/change-the-readme/);
  const forget = await palot.fetch(`/worktree/forget?project=${project}`, {
    method: "POST",
    body: new URLSearchParams({ directory: lost.directory }),
    redirect: "manual",
  });
  await forget.body?.cancel();
  assert.equal(forget.status, 303);
  assert.equal(forget.headers.get("location"), `/project/${project}#worktrees`, "no error");
  assert.equal(await sh(repo, "branch", "--list", "opencode/lost-work"), "");
  await waitFor(async () => {
    const html = await (await palot.fetch(`/project/${project}`)).text();
    return !html.includes("opencode/lost-work");
  }, { message: "the forgotten worktree no longer listed" });

  // Delete: folder and branch gone; the session's page still opens, with a note.
  await waitFor(async () => {
    const response = await palot.fetch(`/worktree/delete?session=${session.id}`);
    return !/stop it first/.test(await response.text());
  }, { timeoutMs: 30_000, message: "the session stopped" });
  const page = await (await palot.fetch(`/worktree/delete?session=${session.id}`)).text();
  assert.match(page, /1 file with uncommitted changes/, "the confirmation warns");
  const deleted = await palot.fetch(`/worktree/delete?session=${session.id}`, {
    method: "POST",
    redirect: "manual",
  });
  await deleted.body?.cancel();
  assert.equal(deleted.status, 303);
  assert.equal(deleted.headers.get("location"), `/session/${session.id}`);
  assert.equal(await exists(worktree.directory), false);
  assert.equal(await sh(repo, "branch", "--list", "opencode/change-the-readme"), "");
  const again = await palot.fetch(`/worktree/delete?session=${session.id}`, {
    method: "POST",
    redirect: "manual",
  });
  await again.body?.cancel();
  assert.equal(again.status, 303, "a second Delete goes to the session's page");
  const sessionPage = await palot.fetch(`/session/${session.id}`);
  assert.equal(sessionPage.status, 200);
  const sessionHtml = await sessionPage.text();
  assert.match(sessionHtml, /which has been deleted/);
  assert.match(sessionHtml, /this session cannot continue: start a new session/);
  assert.doesNotMatch(
    sessionHtml,
    /<form class="composer/,
    "nothing can be sent into a gone folder",
  );
});
