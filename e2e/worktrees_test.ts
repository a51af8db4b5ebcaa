/**
 * Parallel work in git worktrees, in a real browser against the real opencode and real git, the
 * fake LLM writing through OpenCode's own write tool: `New worktree` on the New session page
 * (remembered per project; disabled outside git), the session writing only in its worktree, the
 * toolbar's Branch, the Changes panel there, the project page's `Worktrees` section, the live
 * lists' branch label, `Merge` (its confirmation shows the file and lines coming in; the change
 * lands in main and the checkout is left clean) and `Delete worktree` (folder and branch gone; the
 * session's page still opens, with a note).
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { waitFor } from "../testing/world.ts";
import { browserTest, openNewChat, registerProject, send, sharedApp } from "./harness.ts";
import { assertAccessible } from "./axe.ts";

const exists = (path: string) => Deno.stat(path).then(() => true, () => false);
const stack = sharedApp();

browserTest(
  "New worktree: the session works in its own worktree; Merge; Delete worktree",
  async () => {
    await using app = await stack.use(["trees"]);
    const repo = app.projects.trees;
    const projectId = await registerProject(app, repo);
    const git = (...args: string[]) => app.world.run("git", args, repo);
    const page = await app.newPage({ width: 1280, height: 900 });
    try {
      await steps();
    } catch (error) {
      console.log(await page.locator("main").innerText().catch(() => "(no page)"));
      console.log(app.palot.logs.slice(-30).join("\n"));
      throw error;
    }
    async function steps() {
      await openNewChat(app, page, projectId);
      const toggle = page.getByRole("checkbox", { name: "New worktree" });
      assert.equal(await toggle.isChecked(), false, "off by default");
      await toggle.check();
      await assertAccessible(page, "New session page with New worktree");

      app.llm.enqueue(
        {
          toolCalls: [{ name: "write", arguments: { filePath: "greeting.txt", content: "hi\n" } }],
        },
        { text: "Wrote the greeting." },
      );
      await send(page, "Add a greeting file");
      await page.waitForURL(/\/session\/ses_/, { timeout: 60_000 });
      await page.getByText("Wrote the greeting.").waitFor({ timeout: 60_000 });
      const sessionUrl = page.url();

      // The session worked in its worktree, on its branch; the checkout is untouched.
      const bar = page.getByRole("region", { name: "Worktree" });
      await bar.getByText("opencode/add-a-greeting-file").waitFor();
      await assertAccessible(page, "a session in a worktree");
      await app.screenshot(page, "worktree-session");
      const folder = (await git("worktree", "list", "--porcelain")).split("\n")
        .filter((line) => line.startsWith("worktree "))
        .map((line) => line.slice(9))
        .find((path) => path.endsWith("/add-a-greeting-file"));
      assert.ok(folder, "git knows the worktree");
      assert.equal(await Deno.readTextFile(join(folder, "greeting.txt")), "hi\n");
      assert.equal(
        await exists(join(repo, "greeting.txt")),
        false,
        "nothing written in the checkout",
      );
      assert.equal(await git("status", "--porcelain"), "");
      await page.getByRole("group", { name: "Branch" }).getByText("opencode/add-a-greeting-file")
        .waitFor({ timeout: 30_000 });
      // The Changes panel reads the worktree.
      await page.locator(".changes-summary").getByText("1 file").waitFor({ timeout: 30_000 });
      await page.getByRole("button", { name: "Changes", exact: true }).click();
      const panel = page.getByRole("region", { name: "Changes" });
      await panel.getByRole("button", { name: "greeting.txt" }).click();
      assert.match(
        await panel.getByRole("region", { name: "Diff of greeting.txt" }).innerText(),
        /\+\s*hi/,
      );
      // Undo and Redo work in the worktree's folder.
      const greeting = join(folder, "greeting.txt");
      await page.locator(".chat article.message.user").filter({ hasText: "Add a greeting file" })
        .getByRole("button", { name: "Undo" }).click();
      await waitFor(async () => !(await exists(greeting)), {
        timeoutMs: 60_000,
        message: "greeting.txt removed from the worktree by Undo",
      });
      await page.getByRole("button", { name: "Redo" }).click();
      await waitFor(() => exists(greeting), {
        timeoutMs: 60_000,
        message: "greeting.txt back in the worktree after Redo",
      });
      await page.getByText("Wrote the greeting.").waitFor({ timeout: 15_000 });
      assert.equal(await exists(join(repo, "greeting.txt")), false);
      // The sidebar labels the session with its branch.
      await page.locator(".session-nav .worktree-tag").getByText("opencode/add-a-greeting-file")
        .waitFor();

      // The choice is remembered for the project (in this browser: a page of the same context).
      const again = await page.context().newPage();
      await openNewChat(app, again, projectId);
      await waitFor(() => again.getByRole("checkbox", { name: "New worktree" }).isChecked(), {
        message: "New worktree remembered",
      });

      // The project page lists it: branch, session, uncommitted changes, ahead/behind.
      await again.goto(`${app.palot.url}/project/${projectId}`);
      const section = again.getByRole("region", { name: "Worktrees" });
      await section.getByText("opencode/add-a-greeting-file").waitFor();
      await assertAccessible(again, "the project page with its Worktrees");
      assert.match(
        await section.innerText(),
        /1 file with uncommitted changes · 0 commits ahead, 0 behind main/,
      );
      await section.getByRole("link", { name: /Scripted title|Add a greeting/ }).waitFor();
      // The home page has one project, the worktree none of its own.
      await again.goto(app.palot.url);
      assert.equal(await again.locator(".project-card").filter({ hasText: folder }).count(), 0);

      // Merge: the confirmation shows what comes in; main gets it, the checkout stays clean.
      await bar.getByRole("link", { name: "Merge" }).click();
      const files = page.getByRole("list", { name: "Files coming in" });
      await files.waitFor();
      await assertAccessible(page, "the Merge confirmation");
      await app.screenshot(page, "worktree-merge");
      assert.match(await files.innerText(), /greeting\.txt\s*\+1\s*−0/);
      await page.getByRole("button", { name: "Merge" }).click();
      await page.getByRole("status").filter({
        hasText: /Merged opencode\/add-a-greeting-file into main/,
      })
        .waitFor({ timeout: 30_000 });
      assert.equal(await Deno.readTextFile(join(repo, "greeting.txt")), "hi\n");
      assert.equal(await git("status", "--porcelain"), "", "the checkout is left clean");
      assert.equal((await git("rev-parse", "--abbrev-ref", "HEAD")).trim(), "main");

      // Delete worktree: nothing to lose now; folder and branch go; the session still opens.
      await page.getByRole("region", { name: "Worktree" }).getByRole("link", {
        name: "Delete worktree",
      })
        .click();
      await page.getByText("nothing will be lost").waitFor();
      await assertAccessible(page, "the Delete worktree confirmation");
      await page.getByRole("button", { name: "Delete worktree" }).click();
      await page.waitForURL(sessionUrl);
      await page.getByRole("region", { name: "Worktree" }).getByText(/has been deleted/).waitFor();
      await page.getByText("Wrote the greeting.").waitFor();
      await page.getByText(/this session cannot continue/).waitFor();
      assert.equal(await page.getByLabel("Message", { exact: true }).count(), 0);
      assert.equal(await exists(folder), false, "the folder is gone");
      assert.equal(await git("branch", "--list", "opencode/add-a-greeting-file"), "");
    }
  },
);

browserTest("New worktree is disabled, with the reason, outside git", async () => {
  await using app = await stack.use();
  const plain = await app.world.makeProject("plain-folder", { git: false });
  const page = await app.newPage();
  await page.goto(`${app.palot.url}/new?directory=${encodeURIComponent(plain)}`);
  const toggle = page.getByRole("checkbox", { name: "New worktree" });
  await toggle.waitFor();
  assert.equal(await toggle.isDisabled(), true);
  await page.getByText("(not a git repository)").waitFor();
  await assertAccessible(page, "New worktree disabled outside git");
});

stack.stopAfterAll();
