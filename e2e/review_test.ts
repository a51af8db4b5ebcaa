/**
 * Review and undo in a real browser against the real opencode, the fake LLM writing files through
 * OpenCode's own write and edit tools: the Changes panel and its diffs (session and working tree,
 * binary, deleted, changed on disk meanwhile), Undo and Redo (files, hidden messages, the text
 * back in the box, a reload, a draft kept, refused while busy, a folder without git), Fork,
 * Compact and the session's facts.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import type { Page, Request } from "playwright-core";
import { waitFor } from "../testing/world.ts";
import { postToOpencode } from "../testing/palot.ts";
import { LIVE_WINDOW } from "../lib/client/chat/live_session.ts";
import { browserTest, registerProject, type RunningApp, send, startApp } from "./harness.ts";

const exists = (path: string) => Deno.stat(path).then(() => true, () => false);

/**
 * Opens a new session of `directory` once its OpenCode instance answers. The session is created
 * through the API and the page waits only for the connection, not the toolbar: on a loaded
 * machine OpenCode can be slow to boot an instance, and the prompt then goes with its defaults.
 */
async function openSession(app: RunningApp, page: Page, directory: string): Promise<string> {
  const session = await waitFor(
    () => postToOpencode(app.palot, "/session", directory, {}).catch(() => undefined),
    { timeoutMs: 120_000, message: "a session from the project's OpenCode instance" },
  );
  await page.goto(`${app.palot.url}/session/${session.id}`);
  await page.getByRole("status").filter({ hasText: "Connected" }).waitFor({ timeout: 60_000 });
  return page.url();
}

/**
 * Sends `text` and waits for it to show as a message. A loaded machine can make OpenCode miss its
 * health checks while it boots an instance, and Palot then restarts it: a send refused meanwhile
 * keeps its text ("Could not send"), and is sent again once OpenCode answers.
 */
async function sendWhenReady(app: RunningApp, page: Page, directory: string, text: string) {
  await send(page, text);
  for (let attempt = 1;; attempt++) {
    const sent = await waitFor(async () => {
      if (await userMessages(page).filter({ hasText: text }).count()) return "sent";
      if (await page.getByText(/Could not send/).count()) return "refused";
    }, { timeoutMs: 60_000, message: `"${text}" sent` });
    if (sent === "sent") return;
    if (attempt === 3) throw new Error(`"${text}" was refused three times`);
    await waitFor(async () => {
      const response = await app.palot.fetch(
        `/api/opencode/agent?directory=${encodeURIComponent(directory)}`,
      );
      await response.body?.cancel();
      return response.ok;
    }, { timeoutMs: 120_000, message: "OpenCode answering again" });
    await page.getByRole("button", { name: "Send" }).click();
    await page.getByText(/Could not send/).waitFor({ state: "hidden", timeout: 10_000 })
      .catch(() => {});
  }
}

/**
 * How long an Undo or Redo may take to reach the files: OpenCode runs several git commands for
 * each, one at a time per project, which a loaded machine slows down.
 */
const REVIEW_ACTION_MS = 60_000;

/** Follows the page's requests; the returned function lists those without an answer yet. */
function requestsInFlight(page: Page): () => string[] {
  const waiting = new Map<Request, number>();
  page.on("request", (request) => waiting.set(request, Date.now()));
  page.on("requestfinished", (request) => waiting.delete(request));
  page.on("requestfailed", (request) => waiting.delete(request));
  return () =>
    [...waiting].map(([request, since]) =>
      `${request.method()} ${request.url()} (${Math.round((Date.now() - since) / 1000)} s)`
    );
}

/** The island's user messages (the live ones). */
const userMessages = (page: Page) => page.locator(".chat article.message.user");

browserTest(
  "changes and diffs; undo, redo, reload, busy, no git; fork; compact; session facts",
  async () => {
    await using app = await startApp({ projects: ["alpha"] });
    const alpha = app.projects.alpha;
    const readme = join(alpha, "README.md");
    const created = join(alpha, "new.txt");
    await Deno.writeTextFile(join(alpha, "old.txt"), "old line 1\nold line 2\n");
    await app.world.run("git", ["add", "old.txt"], alpha);
    await app.world.run("git", ["commit", "-q", "-m", "Add old.txt"], alpha);
    const projectId = await registerProject(app, alpha);
    const page = await app.newPage({ width: 1280, height: 900 });
    const inFlight = requestsInFlight(page);
    try {
      await steps();
    } catch (error) {
      // What the page and Palot said, to tell a slow machine from a broken feature.
      console.log(await page.locator("main").innerText().catch(() => "(no page)"));
      console.log(`Requests the page was still waiting for:\n${inFlight().join("\n") || "none"}`);
      console.log(app.palot.logs.slice(-30).join("\n"));
      throw error;
    }
    async function steps() {
      const sessionUrl = await openSession(app, page, alpha);

      app.llm.enqueue(
        { toolCalls: [{ name: "write", arguments: { filePath: created, content: "one\ntwo\n" } }] },
        {
          toolCalls: [{
            name: "edit",
            arguments: { filePath: readme, oldString: "# alpha", newString: "# Alpha\nmore" },
          }],
        },
        { text: "Wrote both files." },
      );
      await sendWhenReady(app, page, alpha, "Write the files");
      await page.getByText("Wrote both files.").waitFor({ timeout: 60_000 });
      assert.equal(await Deno.readTextFile(created), "one\ntwo\n", "the real write tool ran");

      // Session facts: context of the last reply and the cost.
      const facts = page.getByRole("group", { name: "Session facts" });
      await facts.getByText(/Context \d+ tokens/).waitFor({ timeout: 15_000 });
      assert.match(await facts.innerText(), /Cost \$0/);

      // The project page lists the session with its changed files and lines.
      const projectPage = await app.newPage();
      await projectPage.goto(`${app.palot.url}/project/${projectId}`);
      const row = projectPage.locator(".session-row").filter({
        has: projectPage.locator(
          `a[href="${new URL(sessionUrl).pathname}"]`,
        ),
      });
      // OpenCode writes the turn's summary.diffs just after the reply: the row counts both files
      // once it has (a reload reads the store again).
      await waitFor(async () => {
        if (/2 files\s*\+4\s*−1/.test(await row.innerText())) return true;
        await projectPage.reload();
      }, { message: `the row counts 2 files +4 −1 (it reads: ${await row.innerText()})` });

      // The Changes panel: this session's files, live, each opening its diff.
      await page.locator(".changes-summary").getByText("2 files").waitFor({ timeout: 30_000 });
      await page.getByRole("button", { name: "Changes", exact: true }).click();
      const panel = page.getByRole("region", { name: "Changes" });
      await panel.getByRole("button", { name: "new.txt" }).click();
      const newDiff = panel.getByRole("region", { name: "Diff of new.txt" });
      await newDiff.waitFor();
      assert.match(await newDiff.innerText(), /\+\s*one[\s\S]*\+\s*two/);
      await panel.getByRole("button", { name: "README.md" }).click();
      const readmeDiff = panel.getByRole("region", { name: "Diff of README.md" });
      assert.match(await readmeDiff.innerText(), /-\s*# alpha/);
      await panel.getByRole("button", { name: "Split view" }).click();
      assert.equal(
        await panel.getByRole("button", { name: "Split view" }).getAttribute("aria-pressed"),
        "true",
      );
      assert.ok(await readmeDiff.locator(".dl-split").count() > 0, "split rows side by side");
      await app.screenshot(page, "changes");

      // The working tree: git's view now, with a deleted file, a binary one, and a file that
      // changes on disk after the list was read.
      await Deno.remove(join(alpha, "old.txt"));
      await Deno.writeFile(join(alpha, "logo.bin"), new Uint8Array([0, 1, 2, 0, 255, 0]));
      await app.world.run("git", ["add", "logo.bin"], alpha);
      await panel.getByRole("tab", { name: "Working tree" }).click();
      await panel.getByRole("button", { name: "old.txt" }).waitFor({ timeout: 15_000 });
      await panel.getByRole("button", { name: "old.txt" }).click();
      const oldDiff = panel.getByRole("region", { name: "Diff of old.txt" });
      await oldDiff.waitFor({ timeout: 15_000 });
      assert.match(await panel.innerText(), /Deleted file/);
      assert.match(await oldDiff.innerText(), /-\s*old line 1/);
      await panel.getByRole("button", { name: "logo.bin" }).click();
      await panel.getByText("logo.bin is a binary file").waitFor({ timeout: 15_000 });
      await Deno.writeTextFile(readme, "# alpha\n"); // as committed: no change any more
      await panel.getByRole("button", { name: "README.md" }).click();
      await panel.getByRole("alert").getByText(/README\.md has no uncommitted changes any more/)
        .waitFor({ timeout: 15_000 });
      await Deno.writeTextFile(readme, "# Alpha\nmore\n");
      await app.world.run("git", ["rm", "-q", "--cached", "logo.bin"], alpha);
      await Deno.remove(join(alpha, "logo.bin"));
      await app.world.run("git", ["checkout", "old.txt"], alpha);

      // The sidebar's row of this session counts its changes, and follows an Undo below.
      const sidebarRow = page.getByRole("list", { name: /^Sessions of / })
        .locator('li:has(a[aria-current="page"])');
      await waitFor(async () => /\d+ files? \+\d+/.test(await sidebarRow.innerText()), {
        message: "the changes in the sidebar",
      });

      // Undo: the files go back, the message and its reply are hidden, its text is in the box.
      const first = userMessages(page).filter({ hasText: "Write the files" });
      await first.getByRole("button", { name: "Undo" }).click();
      await waitFor(async () => !(await exists(created)), {
        timeoutMs: REVIEW_ACTION_MS,
        message: "new.txt removed by Undo",
      });
      await waitFor(async () => (await Deno.readTextFile(readme)) === "# alpha\n", {
        timeoutMs: REVIEW_ACTION_MS,
        message: "README.md restored by Undo",
      });
      await page.getByText("2 messages are undone").or(page.getByText(/\d+ messages are undone/))
        .first().waitFor({ timeout: 15_000 });
      assert.equal(await first.count(), 0, "the undone message is hidden");
      assert.equal(await page.getByText("Wrote both files.").count(), 0, "its reply is hidden");
      assert.equal(await page.getByLabel("Message").inputValue(), "Write the files");
      await page.locator(".changes-summary").getByText("0 files").waitFor();
      await waitFor(async () => !/files? \+/.test(await sidebarRow.innerText()), {
        message: `no changes in the sidebar after Undo (${await sidebarRow.innerText()})`,
      });

      // A reload keeps it undone (the page reads the session's revert).
      await page.reload();
      await page.getByRole("status").filter({ hasText: "Connected" }).waitFor({ timeout: 30_000 });
      assert.equal(await page.getByText("Write the files", { exact: true }).count(), 0);
      assert.equal(await page.getByText("Wrote both files.").count(), 0);
      // The draft comes back once the chat has taken over the page (it reads local storage).
      await waitFor(
        async () =>
          (await page.getByLabel("Message", { exact: true }).inputValue()) === "Write the files",
        { message: "the draft kept" },
      );
      await projectPage.reload();
      const undoneRow = await row.innerText();
      assert.doesNotMatch(undoneRow, /files/, `undone changes are not counted: ${undoneRow}`);

      // Redo: files, messages, and the box is emptied of the undone text.
      await page.getByRole("button", { name: "Redo" }).click();
      await waitFor(() => exists(created), {
        timeoutMs: REVIEW_ACTION_MS,
        message: "new.txt back after Redo",
      });
      assert.equal(await Deno.readTextFile(readme), "# Alpha\nmore\n");
      await page.getByText("Wrote both files.").waitFor({ timeout: 15_000 });
      await waitFor(async () => (await page.getByLabel("Message").inputValue()) === "", {
        message: "the box emptied on Redo",
      });

      // Undo with a draft in the box keeps the draft.
      await page.getByLabel("Message").fill("My own draft");
      await userMessages(page).filter({ hasText: "Write the files" })
        .getByRole("button", { name: "Undo" }).click();
      await page.getByRole("alert").getByText(/Your draft is kept/).waitFor({ timeout: 15_000 });
      assert.equal(await page.getByLabel("Message").inputValue(), "My own draft");
      await page.getByRole("button", { name: "Redo" }).click();
      await waitFor(() => exists(created), {
        timeoutMs: REVIEW_ACTION_MS,
        message: "new.txt back after the second Redo",
      });
      await page.getByText("Wrote both files.").waitFor({ timeout: 15_000 });
      await page.getByLabel("Message").fill("");

      // Undo while the agent works: OpenCode refuses (409), the page says to stop first.
      app.llm.enqueue({ text: "A slow reply ".repeat(40), chunkSize: 4, chunkDelayMs: 150 });
      await sendWhenReady(app, page, alpha, "Answer slowly");
      const stop = page.getByRole("button", { name: "Stop" });
      await stop.waitFor({ timeout: 30_000 });
      await userMessages(page).filter({ hasText: "Write the files" })
        .getByRole("button", { name: "Undo" }).click();
      await page.getByRole("alert").getByText(/The agent is working, so nothing was undone/)
        .waitFor({ timeout: 15_000 });
      assert.ok(await exists(created), "nothing was undone");
      assert.ok(await userMessages(page).filter({ hasText: "Write the files" }).count() > 0);
      await stop.click();
      await stop.waitFor({ state: "hidden", timeout: 30_000 });
      app.llm.clear();

      // Compact, with the toolbar's model; its progress shows until the summary is written.
      app.llm.enqueue({ text: "Summary: two files were written.", chunkSize: 2, chunkDelayMs: 40 });
      await facts.getByRole("button", { name: "Compact" }).click();
      await facts.getByRole("status").getByText(/Compacting the session/).waitFor({
        timeout: 15_000,
      });
      await facts.getByText(/Compacted: the model now reads the summary/).waitFor({
        timeout: 60_000,
      });
      await page.getByText("Summary: two files were written.").waitFor({ timeout: 15_000 });
      const summaryRequest = app.llm.requests.at(-1)!;
      assert.equal(summaryRequest.model, "mock-1");

      // Messages older than the live window are rendered by the server above it: Undo, Redo and
      // Fork work on them too (notes added without a reply push the first turn out of the window).
      const sessionId = new URL(sessionUrl).pathname.split("/").at(-1)!;
      for (let index = 1; index <= LIVE_WINDOW; index++) {
        await postToOpencode(app.palot, `/session/${sessionId}/message`, alpha, {
          noReply: true,
          parts: [{ type: "text", text: `Note ${index}` }],
        });
      }
      await page.reload();
      await page.getByRole("status").filter({ hasText: "Connected" }).waitFor({ timeout: 30_000 });
      const history = page.getByRole("region", { name: "Earlier messages" });
      const older = history.locator("article.message.user").filter({ hasText: "Write the files" });
      assert.equal(await userMessages(page).filter({ hasText: "Write the files" }).count(), 0);
      await older.getByRole("button", { name: "Undo" }).click();
      await waitFor(async () => !(await exists(created)), {
        timeoutMs: REVIEW_ACTION_MS,
        message: "new.txt removed by an Undo in the history",
      });
      await older.waitFor({ state: "hidden", timeout: 15_000 });
      assert.equal(await history.getByText("Wrote both files.").isVisible(), false);
      assert.equal(await userMessages(page).filter({ hasText: "Note 1" }).count(), 0);
      const undone = await page.locator(".revert-bar").getByText(/messages are undone/).innerText();
      assert.ok(Number(undone.match(/(\d+) messages/)?.[1]) > LIVE_WINDOW, undone);
      assert.equal(
        await page.getByLabel("Message", { exact: true }).inputValue(),
        "Write the files",
      );
      await page.getByRole("button", { name: "Redo" }).click();
      await waitFor(() => exists(created), {
        timeoutMs: REVIEW_ACTION_MS,
        message: "new.txt back after a Redo in the history",
      });
      await older.waitFor({ timeout: 15_000 });
      await userMessages(page).filter({ hasText: `Note ${LIVE_WINDOW}` }).waitFor();
      await waitFor(
        async () => (await page.getByLabel("Message", { exact: true }).inputValue()) === "",
        {
          message: "the box emptied on Redo",
        },
      );

      // Fork at the first message: a new session opens with that message's text in the box.
      await older.getByRole("button", { name: "Fork" }).click();
      await page.waitForURL(
        (url) => url.href !== sessionUrl && url.pathname.startsWith("/session/"),
        {
          timeout: 30_000,
        },
      );
      await page.getByRole("status").filter({ hasText: "Connected" }).waitFor({ timeout: 30_000 });
      await waitFor(
        async () => (await page.getByLabel("Message").inputValue()) === "Write the files",
        {
          message: "the forked message's text in the box",
        },
      );
      assert.equal(await userMessages(page).count(), 0, "the fork holds only what came before");

      // A folder without git: Undo hides the messages and says files stay as they are.
      const plain = await app.world.makeProject("plain", { git: false });
      await openSession(app, page, plain);
      app.llm.enqueue(
        {
          toolCalls: [{
            name: "write",
            arguments: { filePath: join(plain, "x.txt"), content: "x\n" },
          }],
        },
        { text: "Wrote x." },
      );
      await sendWhenReady(app, page, plain, "Write x");
      await page.getByText("Wrote x.").waitFor({ timeout: 60_000 });
      await userMessages(page).filter({ hasText: "Write x" }).getByRole("button", { name: "Undo" })
        .click();
      await page.getByRole("alert").getByText(/not a git repository/).waitFor({ timeout: 15_000 });
      assert.ok(await exists(join(plain, "x.txt")), "the file stays: no snapshots without git");
      // The side pane comes back as this browser left it: open on Changes since the first session.
      const changes = page.getByRole("button", { name: "Changes", exact: true });
      if (await changes.getAttribute("aria-expanded") !== "true") await changes.click();
      await page.getByRole("region", { name: "Changes" }).getByRole("tab", { name: "Working tree" })
        .click();
      await page.getByText("This folder is not a git repository, so there is no working tree")
        .waitFor();
    }
  },
);
