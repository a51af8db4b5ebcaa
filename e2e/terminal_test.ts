/**
 * A terminal for every project, in the page, against the real opencode's PTYs: `Terminal` opens a
 * login shell in the project's folder, output is readable in the page (xterm's screen-reader
 * mode), a reload shows the same terminal with its recent output and typing goes on, the shell
 * follows the pane's size, `exit` says so in the tab, `New terminal` adds one, `Ctrl+\`` toggles,
 * the phone row sends keys, a running terminal pins its project's instance (and the project page
 * lists it with `End`), and an OpenCode restart ends the tab without a reconnect loop. The
 * emulator's code is loaded only when a terminal opens.
 */

import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { waitFor } from "../testing/world.ts";
import { assertAccessible } from "./axe.ts";
import { browserTest, registerProject, startApp } from "./harness.ts";

/** The visible terminal's text (xterm draws its rows as DOM text). */
const screenText = (page: Page) =>
  page.locator("#terminal-region .terminal-screen:not([hidden]) .xterm-rows").innerText();

async function waitForScreen(page: Page, pattern: RegExp, message: string) {
  await waitFor(async () => pattern.test(await screenText(page)), { timeoutMs: 30_000, message });
}

async function typeLine(page: Page, line: string) {
  await page.locator("#terminal-region .terminal-screen:not([hidden]) .xterm").click();
  await page.keyboard.type(line);
  await page.keyboard.press("Enter");
}

interface InstancesReport {
  pid: number;
  instances: { directory: string; pinnedBy: string[] }[];
}

browserTest(
  "a terminal in the page: type, reload, resize, exit, tabs, phone keys, pinning, restart",
  async () => {
    await using app = await startApp({
      projects: ["alpha", "beta"],
      palot: { args: ["--max-instances", "1"] },
    });
    const { alpha, beta } = app.projects;
    const projectId = await registerProject(app, alpha);
    const page = await app.newPage({ width: 1280, height: 800 });
    const errors: string[] = [];
    page.on("pageerror", (error) => errors.push(error.message));
    const scripts: string[] = [];
    page.on("request", (request) => {
      if (request.resourceType() === "script") scripts.push(request.url());
    });
    await page.goto(`${app.palot.url}/project/${projectId}/new`);
    const toggle = page.getByRole("button", { name: "Terminal", exact: true });
    await toggle.waitFor();
    assert.ok(
      !scripts.some((url) => url.includes("xterm_view")),
      "no emulator before it is opened",
    );

    // Open: a login shell in the project's folder, its output in the page.
    await toggle.click();
    const region = page.getByRole("region", { name: "Terminal", exact: true });
    await region.waitFor();
    await waitForScreen(page, /\$ |# /, "the shell's prompt");
    assert.ok(scripts.some((url) => url.includes("xterm_view")), "the emulator, loaded on demand");
    await typeLine(page, "echo hello-$((6*7)); pwd");
    await waitForScreen(page, /hello-42/, "the command's output");
    // Binary and invalid UTF-8 output is shown, not thrown. Without control bytes, C1 ones too: a
    // random C2 9D (OSC) or C2 90 (DCS) would rightly make the terminal swallow what follows.
    await typeLine(
      page,
      "head -c 4000 /dev/urandom | tr -d '\\000-\\037\\200-\\237'; printf '\\na\\xffb\\xfe\\x80c\\n'; echo bytes-$((1+2))-done",
    );
    await waitForScreen(page, /bytes-3-done/, "the shell after binary output");
    await typeLine(page, "clear; echo fine-$((6*7)); pwd");
    await waitForScreen(page, /fine-42/, "the terminal after binary output");
    assert.deepEqual(errors, []);
    assert.ok((await screenText(page)).includes(alpha), "the shell starts in the project's folder");
    assert.ok(!(await screenText(page)).includes("cursor"), "the control frame is never printed");
    const tabs = region.getByRole("list", { name: "Terminals" }).getByRole("listitem");
    assert.equal(await tabs.count(), 1);
    await assertAccessible(page, "a session page with its terminal open");

    // Reload: the same terminal, its recent output replayed, typing goes on.
    await page.reload();
    await region.waitFor();
    await waitForScreen(page, /fine-42/, "the output again after a reload");
    assert.equal(await tabs.count(), 1, "the same terminal, not a new one");
    await typeLine(page, "echo again-$((1+1))");
    await waitForScreen(page, /again-2/, "typing after the reload");
    assert.ok(!(await screenText(page)).includes("cursor"));

    // The shell follows the window's size.
    await typeLine(page, "stty size");
    await waitForScreen(page, /\n\s*\d+ \d+\s*\n/, "the terminal's size");
    const sizeBefore = /(\d+) (\d+)\s*\n[^\n]*$/.exec(await screenText(page));
    await page.setViewportSize({ width: 900, height: 600 });
    await typeLine(page, "clear; stty size");
    await waitFor(async () => {
      const now = /(\d+) (\d+)/.exec(await screenText(page));
      return now && sizeBefore && now[2] !== sizeBefore[2] &&
        Number(now[2]) < Number(sizeBefore[2]);
    }, { message: "fewer columns after the window narrowed" });

    // Ctrl+` toggles the region.
    await page.keyboard.press("Control+Backquote");
    await region.waitFor({ state: "detached" });
    assert.equal(await toggle.getAttribute("aria-expanded"), "false");
    await page.keyboard.press("Control+Backquote");
    await region.waitFor();
    await typeLine(page, "echo kept-$((2+3))");
    await waitForScreen(page, /kept-5/, "a last command before the tab closes");

    // A running terminal pins its project: with one instance allowed, using another keeps it.
    await page.close();
    const report = async () =>
      await (await app.palot.fetch("/api/opencode")).json() as InstancesReport;
    await waitFor(
      async () =>
        (await report()).instances.find((instance) => instance.directory === alpha)?.pinnedBy
          .join() === "terminal",
      { timeoutMs: 30_000, message: "the terminal pinning alpha with no tab open" },
    );
    const other = await app.palot.fetch(
      `/api/opencode/agent?directory=${encodeURIComponent(beta)}`,
    );
    assert.equal(other.status, 200);
    await other.body?.cancel();
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    assert.ok(
      (await report()).instances.some((instance) => instance.directory === alpha),
      "alpha kept although over the cap",
    );
    // The project page says so, with a way to end it (below).
    const projectPage = await app.newPage();
    await projectPage.goto(`${app.palot.url}/project/${projectId}`);
    const running = projectPage.getByRole("region", { name: "Terminals" });
    await running.getByText("1 terminal still running").waitFor();

    // Back later: the same terminal; New terminal adds one; exit says so; closing ends it.
    const again = await app.newPage({ width: 1280, height: 800 });
    await again.goto(`${app.palot.url}/project/${projectId}/new`);
    // Another browser: the region's state is kept per browser, the terminals are the project's.
    await again.getByRole("button", { name: "Terminal", exact: true }).click();
    const region2 = again.getByRole("region", { name: "Terminal", exact: true });
    await region2.waitFor();
    await waitForScreen(again, /kept-5/, "the terminal's output on a later visit");
    await region2.getByRole("button", { name: "New terminal" }).click();
    await waitFor(
      async () =>
        await region2.getByRole("list", { name: "Terminals" }).getByRole("listitem").count() === 2,
      {
        message: "a second terminal",
      },
    );
    await waitForScreen(again, /\$ |# /, "the second terminal's prompt");
    await typeLine(again, "exit");
    const exited = region2.getByRole("list", { name: "Terminals" }).getByRole("listitem").nth(1);
    await exited.getByText("exited").waitFor({ timeout: 15_000 });
    await region2.getByRole("button", { name: /^Close / }).nth(1).click();
    await waitFor(
      async () =>
        await region2.getByRole("list", { name: "Terminals" }).getByRole("listitem").count() === 1,
      {
        message: "the exited tab closed",
      },
    );

    // Phone width: a row of keys a phone keyboard lacks.
    await again.setViewportSize({ width: 390, height: 800 });
    const keys = again.getByRole("toolbar", { name: "Terminal keys" });
    await keys.waitFor();
    await typeLine(again, "sleep 300");
    await keys.getByRole("button", { name: "Control" }).click();
    await again.keyboard.type("c");
    await typeLine(again, "echo after-ctrl-c");
    await waitForScreen(again, /\^C[\s\S]*after-ctrl-c/, "Ctrl then C interrupting sleep");
    const regionBox = await region2.boundingBox();
    assert.ok(regionBox && regionBox.width >= 389, "the terminal fills the phone's width");
    await again.setViewportSize({ width: 1280, height: 800 });

    // End from the project page: the shell goes, the tab says so.
    await projectPage.reload();
    await running.getByRole("button", { name: /^End / }).click();
    await projectPage.waitForURL(/#terminals$/);
    assert.equal(await projectPage.getByRole("region", { name: "Terminals" }).count(), 0);
    await region2.getByRole("list", { name: "Terminals" }).getByRole("listitem").first().getByText(
      "exited",
    ).waitFor({ timeout: 15_000 });

    // OpenCode restarted under an open terminal: the tab says it ended, no reconnect loop.
    await region2.getByRole("button", { name: "New terminal" }).click();
    await waitFor(
      async () =>
        await region2.getByRole("list", { name: "Terminals" }).getByRole("listitem").count() === 2,
      {
        message: "a new terminal",
      },
    );
    await waitForScreen(again, /^[^\n]*[#$]\s*$/, "a new terminal's prompt, alone");
    const sockets: string[] = [];
    again.on("websocket", (socket) => sockets.push(socket.url()));
    const { pid } = await report();
    Deno.kill(pid, "SIGKILL");
    await region2.locator('li:has(button[aria-pressed="true"])').getByText("ended").waitFor({
      timeout: 30_000,
    });
    await again.getByText(/The terminal ended/).waitFor();
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    assert.equal(sockets.length, 0, "no reconnect attempts");
    assert.ok(
      !app.palot.logs.some((line) => line.includes("after-ctrl-c") || line.includes("hello-42")),
      "Palot logs nothing of a terminal's content",
    );
  },
);
