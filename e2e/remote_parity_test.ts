/**
 * Another machine's project works as a local one, in a real browser: a second real
 * `opencode serve` with its own HOME (and `bash: "ask"`) stands in for it, reached through
 * Palot's per-server proxy. On its session page a bash permission the remote server asks is
 * answered from the page, Changes shows the diff of a file the agent wrote there, Undo and Redo
 * put its files back and forth, and the Terminal is a shell in the remote project's folder. This
 * machine's home page, in another browser, counts the remote session that asks and then finishes
 * in its title's `(N)`, `Active now` and a notice, each linking to the remote session's page.
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

stack.stopAfterAll();
