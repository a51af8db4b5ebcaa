/**
 * Another machine's project works as a local one, in a real browser: a second real
 * `opencode serve` with its own HOME (and `bash: "ask"`) stands in for it, reached through
 * Palot's per-server proxy. On its session page a bash permission the remote server asks is
 * answered from the page, Changes shows the diff of a file the agent wrote there, Undo and Redo
 * put its files back and forth, and the Terminal is a shell in the remote project's folder. This
 * machine's home page, in another browser, counts the remote session that asks and then finishes
 * in its title's `(N)`, `Active now` and a notice, each linking to the remote session's page.
 * `New worktree` there makes the worktree on that machine; `Merge` applies its changes to the
 * remote checkout (uncommitted), `Delete worktree` removes it there.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { OpencodeWorld, waitFor } from "../testing/world.ts";
import {
  addServer,
  browserTest,
  islandReady,
  type RunningApp,
  send,
  sharedApp,
} from "./harness.ts";

const stack = sharedApp();

const exists = (path: string) => Deno.stat(path).then(() => true, () => false);
/** The island's user messages (the live ones). */
const userMessages = (page: Page) => page.locator(".chat article.message.user");

/** Waits until a chat page has settled: hydrated, with its project's own toolbar. */
async function settled(page: Page) {
  await islandReady(page, "Chat");
  await page.locator(".toolbar:not([data-provisional])").waitFor({ timeout: 30_000 });
}

/** Waits until Palot knows the remote session (from the server's events) and opens its page. */
async function openRemoteSession(app: RunningApp, page: Page, server: string, id: string) {
  const path = `/s/${server}/session/${id}`;
  await waitFor(async () => {
    const response = await app.palot.fetch(path);
    await response.body?.cancel();
    return response.ok;
  }, { timeoutMs: 30_000, message: `${path} known to Palot` });
  await page.goto(`${app.palot.url}${path}`);
  await page.getByRole("status").filter({ hasText: "Connected" }).waitFor({ timeout: 30_000 });
  await islandReady(page, "Chat");
}

browserTest(
  "a remote session: permission, Changes, Undo and Redo, Terminal, as a local one",
  async () => {
    await using app = await stack.use();
    await using other = await OpencodeWorld.create({
      llm: app.llm,
      config: { permission: { bash: "ask" } },
    });
    const far = await other.makeProject("far-parity");
    await using remote = await other.startOpencode();
    const session = (await remote.client(far).session.create({ title: "Remote work" })).data!;
    const server = await addServer(app, remote, "Parity box");
    const page = await app.newPage({ width: 1400, height: 900 });
    try {
      await steps();
    } catch (error) {
      console.log(await page.locator("main").innerText().catch(() => "(no page)"));
      console.log("ALERTS", await page.getByRole("alert").allInnerTexts());
      console.log(app.palot.logs.slice(-30).join("\n"));
      throw error;
    }
    async function steps() {
      await openRemoteSession(app, page, server, session.id);
      // Hydrated, the sidebar still lists that machine's session (seeded as that machine's).
      await islandReady(page, "SidebarSessions");
      await page.getByRole("list", { name: "Sessions of far-parity" })
        .getByRole("link", { name: "Remote work" }).waitFor({ timeout: 5_000 });

      // This machine's home page, in another browser, counts what the remote session asks.
      const home = await app.newPage();
      await home.goto(app.palot.url);
      await islandReady(home, "Attention");
      const remoteHref = `/s/${server}/session/${session.id}`;

      // A permission asked by the remote server, answered from the page.
      app.llm.enqueue(
        {
          toolCalls: [{
            name: "bash",
            arguments: { command: "echo far-approved", description: "Print a word" },
          }],
        },
        { text: "Ran it far away." },
      );
      await send(page, "Run the command");
      const card = page.getByRole("group", { name: "Permission request" });
      await card.waitFor({ timeout: 30_000 });
      assert.match(await card.innerText(), /echo far-approved/);
      await waitFor(async () => (await home.title()).startsWith("(1) "), {
        timeoutMs: 15_000,
        message: `(1) in the home page's title (it reads ${await home.title()})`,
      });
      const active = home.getByRole("region", { name: "Active now" });
      const row = active.getByRole("listitem").filter({ hasText: "Remote work" });
      await row.getByText(/need you|waiting/i).first().waitFor({ timeout: 15_000 });
      assert.equal(await row.getByRole("link").getAttribute("href"), remoteHref);
      const notice = home.getByRole("list", { name: "Notices" }).getByRole("link");
      await notice.first().waitFor({ timeout: 15_000 });
      assert.equal(await notice.first().getAttribute("href"), remoteHref);
      await card.getByRole("button", { name: "Allow once" }).click();
      await card.waitFor({ state: "detached", timeout: 15_000 });
      await page.getByText("Ran it far away.").waitFor({ timeout: 30_000 });
      // Finished while nobody looked at it there: unread, still counted, and a notice.
      await row.getByText("unread").waitFor({ timeout: 15_000 });
      assert.ok((await home.title()).startsWith("(1) "), await home.title());
      const tool = page.locator('.part.tool[data-tool="bash"]').first();
      assert.match(await tool.locator("pre").innerText(), /far-approved/);

      // Changes: the diff of a file the agent wrote on the remote machine.
      const created = join(far, "new.txt");
      const readme = join(far, "README.md");
      app.llm.enqueue(
        { toolCalls: [{ name: "write", arguments: { filePath: created, content: "one\ntwo\n" } }] },
        {
          toolCalls: [{
            name: "edit",
            arguments: { filePath: readme, oldString: "# far-parity", newString: "# Far\nmore" },
          }],
        },
        { text: "Wrote both files." },
      );
      await send(page, "Write the files");
      await page.getByText("Wrote both files.").waitFor({ timeout: 60_000 });
      assert.equal(await Deno.readTextFile(created), "one\ntwo\n", "written on the remote machine");
      // Its project page counts the session's changed files and lines, as this machine's does
      // (Palot counts them from the remote server's messages, once a page has listed the session).
      const projectPage = await app.newPage();
      await projectPage.goto(`${app.palot.url}/s/${server}/project/${session.projectID}`);
      const listed = projectPage.locator(".session-row").filter({
        has: projectPage.locator(`a[href="${remoteHref}"]`),
      });
      await waitFor(async () => {
        if (/2 files\s*\+4\s*−1/.test(await listed.innerText())) return true;
        await projectPage.reload();
      }, { message: `the row counts 2 files +4 −1 (it reads: ${await listed.innerText()})` });
      await projectPage.close();
      await page.getByRole("button", { name: "Changes", exact: true }).click();
      const panel = page.getByRole("region", { name: "Changes" });
      await panel.getByRole("button", { name: "new.txt" }).click({ timeout: 30_000 });
      const diff = panel.getByRole("region", { name: "Diff of new.txt" });
      await diff.waitFor();
      assert.match(await diff.innerText(), /\+\s*one[\s\S]*\+\s*two/);
      await panel.getByRole("button", { name: "README.md" }).click();
      assert.match(
        await panel.getByRole("region", { name: "Diff of README.md" }).innerText(),
        /-\s*# far-parity/,
      );

      // Undo puts the remote files back and hides the message; Redo brings them again (once the
      // turn has ended: OpenCode refuses Undo while the agent works).
      await page.getByRole("button", { name: "Stop" }).waitFor({
        state: "detached",
        timeout: 30_000,
      });
      await userMessages(page).filter({ hasText: "Write the files" })
        .getByRole("button", { name: "Undo" }).click();
      await waitFor(async () => !(await exists(created)), {
        timeoutMs: 60_000,
        message: "new.txt removed by Undo",
      });
      await waitFor(async () => (await Deno.readTextFile(readme)) === "# far-parity\n", {
        timeoutMs: 60_000,
        message: "README.md restored by Undo",
      });
      await page.getByText(/\d+ messages are undone/).first().waitFor({ timeout: 15_000 });
      assert.equal(await page.getByText("Wrote both files.").count(), 0, "its reply is hidden");
      assert.equal(
        await page.getByLabel("Message", { exact: true }).inputValue(),
        "Write the files",
      );
      await page.getByRole("button", { name: "Redo" }).click();
      await waitFor(() => exists(created), { timeoutMs: 60_000, message: "new.txt back by Redo" });
      await page.getByText("Wrote both files.").waitFor({ timeout: 15_000 });

      // The composer's history is that machine's: in a tab that sent nothing, Up in an empty box
      // brings the project's last message there.
      const fresh = await app.newPage();
      await openRemoteSession(app, fresh, server, session.id);
      const box = fresh.getByLabel("Message", { exact: true });
      await box.press("ArrowUp");
      await waitFor(async () => (await box.inputValue()) === "Write the files", {
        message: "the remote project's last message, by Up",
      });
      await fresh.close();

      // The Terminal: a shell in the remote project's folder, through Palot.
      await page.getByRole("button", { name: "Terminal", exact: true }).click();
      const terminal = page.getByRole("region", { name: "Terminal", exact: true });
      await terminal.waitFor();
      const screen = () =>
        terminal.locator(".terminal-screen:not([hidden]) .xterm-rows").innerText();
      await waitFor(async () => /\$ |# /.test(await screen()), {
        timeoutMs: 30_000,
        message: "the remote shell's prompt",
      });
      await terminal.locator(".terminal-screen:not([hidden]) .xterm").click();
      await page.keyboard.type("echo far-$((6*7)); pwd");
      await page.keyboard.press("Enter");
      await waitFor(async () => /far-42/.test(await screen()), {
        timeoutMs: 30_000,
        message: "the command's output",
      });
      assert.ok((await screen()).includes(far), "the shell starts in the remote project's folder");
      assert.ok(
        (await remote.fetch(`/pty?directory=${encodeURIComponent(far)}`).then((r) => r.json()))
          .length > 0,
        "the terminal runs on the remote server",
      );
    }
  },
);

browserTest(
  "a remote project's worktree: New worktree, Merge applies its changes there, Delete worktree",
  async () => {
    await using app = await stack.use();
    await using other = await OpencodeWorld.create({ llm: app.llm });
    const far = await other.makeProject("far-trees");
    await using remote = await other.startOpencode();
    const project = (await remote.client(far).project.current()).data!;
    const server = await addServer(app, remote, "Trees box");
    const git = (...args: string[]) => other.run("git", args, far);
    const page = await app.newPage({ width: 1280, height: 900 });
    const navigations: string[] = [];
    page.on("framenavigated", (frame) => {
      if (frame === page.mainFrame()) {
        navigations.push(`${new Date().toISOString()} ${frame.url()}`);
      }
    });
    try {
      await steps();
    } catch (error) {
      console.log("NAVIGATIONS", navigations.join("\n"));
      console.log(await page.locator("main").innerText().catch(() => "(no page)"));
      console.log(app.palot.logs.slice(-30).join("\n"));
      throw error;
    }
    async function steps() {
      const projectPath = `/s/${server}/project/${project.id}`;
      await waitFor(async () => {
        const response = await app.palot.fetch(projectPath);
        await response.body?.cancel();
        return response.ok;
      }, { timeoutMs: 30_000, message: `${projectPath} known to Palot` });
      await page.goto(`${app.palot.url}${projectPath}/new`);
      await page.getByRole("status").filter({ hasText: "Connected" }).waitFor({ timeout: 30_000 });
      await islandReady(page, "Chat");
      await page.locator(".toolbar:not([data-provisional])").waitFor({ timeout: 60_000 });
      const toggle = page.getByRole("checkbox", { name: "New worktree" });
      assert.equal(await toggle.isDisabled(), false, "offered for another machine's git project");
      await toggle.check();

      app.llm.enqueue(
        {
          toolCalls: [{ name: "write", arguments: { filePath: "far.txt", content: "far\n" } }],
        },
        { text: "Wrote it over there." },
      );
      await send(page, "Add a far file");
      await page.waitForURL(new RegExp(`/s/${server}/session/ses_`), { timeout: 60_000 });
      await page.getByText("Wrote it over there.").waitFor({ timeout: 60_000 });
      const sessionUrl = page.url();

      // Made by the remote server, in a worktree of its own; the remote checkout is untouched.
      const bar = page.getByRole("region", { name: "Worktree" });
      await bar.getByText("opencode/add-a-far-file").waitFor({ timeout: 30_000 });
      const folders: string[] = await remote.fetch(
        `/experimental/worktree?directory=${encodeURIComponent(far)}`,
      ).then((response) => response.json());
      const folder = folders.find((path) => path.endsWith("/add-a-far-file"));
      assert.ok(folder, `the remote server lists the worktree: ${folders}`);
      assert.equal(await Deno.readTextFile(join(folder, "far.txt")), "far\n");
      assert.equal(await exists(join(far, "far.txt")), false, "nothing written in the checkout");

      // Merge: what comes in, then the changes land in the remote checkout, uncommitted.
      // A chat page that has just loaded still moves (its toolbar comes, the column follows the
      // latest message): a click could land where the link was. Keys do not depend on where.
      await settled(page);
      // Merge waits for the turn's end (a working session is refused).
      await page.getByRole("button", { name: "Stop" }).waitFor({
        state: "detached",
        timeout: 30_000,
      });
      await bar.getByRole("link", { name: "Merge" }).press("Enter");
      const files = page.getByRole("list", { name: "Files coming in" });
      await files.waitFor();
      assert.match(await files.innerText(), /far\.txt\s*\+1\s*−0/);
      await page.getByText(/left\s+uncommitted there/).waitFor();
      await page.getByRole("button", { name: "Merge" }).click();
      await page.getByRole("status").filter({ hasText: /Applied opencode\/add-a-far-file/ })
        .waitFor({ timeout: 30_000 });
      assert.equal(await Deno.readTextFile(join(far, "far.txt")), "far\n");
      assert.match(await git("status", "--porcelain"), /far\.txt/, "uncommitted in the checkout");

      // A second Merge is refused while the checkout has uncommitted changes, and says so.
      await settled(page);
      await bar.getByRole("link", { name: "Merge" }).press("Enter");
      await page.getByRole("alert").filter({ hasText: /uncommitted changes \(far\.txt\)/ })
        .waitFor();
      assert.equal(await page.getByRole("button", { name: "Merge" }).count(), 0);
      await page.getByRole("link", { name: "Back to the session" }).click();

      // Delete worktree: it warns what differs from main; folder and branch go on that machine.
      await settled(page);
      await page.getByRole("region", { name: "Worktree" })
        .getByRole("link", { name: "Delete worktree" }).press("Enter");
      await page.getByText(/1 file that differ from main/).waitFor();
      await page.getByRole("button", { name: "Delete worktree" }).click();
      await page.waitForURL(sessionUrl);
      await page.getByRole("region", { name: "Worktree" }).getByText(/has been deleted/)
        .waitFor({ timeout: 30_000 });
      await page.getByText(/this session cannot continue/).waitFor();
      assert.equal(await exists(folder), false, "the remote folder is gone");
      assert.equal(await git("branch", "--list", "opencode/add-a-far-file"), "");
    }
  },
);

stack.stopAfterAll();
