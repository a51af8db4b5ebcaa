/**
 * The look of the server-rendered pages in a real browser, over OpenCode data written to disk in
 * its JSON format (no opencode process needed, so every step is quick): axe-core on every page in
 * both themes, the Theme control with and without JavaScript, tool cards (header, long output
 * behind `Show all`, a failed tool left open, a diff), code blocks, focus rings on every control,
 * the sidebar folding away, the favicon and the manifest, and a phone-width page without sideways
 * scrolling.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { appOver } from "../testing/app_over.ts";
import { freePort, waitFor } from "../testing/world.ts";
import { assertAccessible } from "./axe.ts";
import { browserTest, launchChromium } from "./harness.ts";

const NOW = Date.now();

/** Writes one project with one session (text, code, a long shell output, an edit, a failure). */
async function writeStorage(root: string): Promise<void> {
  const write = async (path: string, data: unknown) => {
    await Deno.mkdir(join(root, "storage", path, ".."), { recursive: true });
    await Deno.writeTextFile(join(root, "storage", path), JSON.stringify(data));
  };
  await write("project/p1.json", {
    id: "p1",
    worktree: "/home/me/website",
    vcs: "git",
    name: "website",
    time: { created: NOW - 7200_000, updated: NOW - 60_000 },
  });
  await write("session/p1/s1.json", {
    id: "s1",
    projectID: "p1",
    directory: "/home/me/website",
    title: "Tidy the header",
    time: { created: NOW - 3600_000, updated: NOW - 60_000 },
    summary: { additions: 12, deletions: 4, files: 3 },
  });
  const base = { sessionID: "s1" };
  await write("message/s1/m1.json", {
    ...base,
    id: "m1",
    role: "user",
    time: { created: NOW - 3500_000 },
  });
  await write("part/m1/p1.json", {
    ...base,
    id: "p1",
    messageID: "m1",
    type: "text",
    text: "Tidy the header, please.",
  });
  await write("message/s1/m2.json", {
    ...base,
    id: "m2",
    role: "assistant",
    time: { created: NOW - 3400_000, completed: NOW - 3300_000 },
    cost: 0.0123,
    tokens: { input: 1200, output: 300 },
  });
  const tool = (id: string, name: string, state: Record<string, unknown>) =>
    write(`part/m2/${id}.json`, { ...base, id, messageID: "m2", type: "tool", tool: name, state });
  const time = { start: NOW - 3400_000, end: NOW - 3398_500 };
  await tool("p2", "bash", {
    status: "completed",
    input: { command: "seq 1 40", description: "Count to forty" },
    output: Array.from({ length: 40 }, (_, index) => `${index + 1}`).join("\n"),
    title: "Count to forty",
    time,
  });
  await tool("p3", "edit", {
    status: "completed",
    input: {
      filePath: "/home/me/website/header.html",
      oldString: "<h1>",
      newString: "<h1 class=x>",
    },
    output: "",
    title: "header.html",
    time,
  });
  await tool("p4", "bash", {
    status: "error",
    input: { command: "make lint", description: "Lint" },
    error: "make: *** [lint] Error 1",
    time,
  });
  await write("part/m2/p5.json", {
    ...base,
    id: "p5",
    messageID: "m2",
    type: "text",
    text: "Done. Check it with:\n\n```bash\ngrep -n '<h1' header.html\n```\n",
  });
}

/**
 * Waits until the page is rendered in `theme` (after the Theme control's form was sent). Reads
 * the attribute through a locator, which works also in a page without JavaScript.
 */
async function waitForTheme(page: Page, theme: string): Promise<void> {
  for (let tries = 0; tries < 300; tries++) {
    const current = await page.locator("html").getAttribute("data-theme", { timeout: 5_000 })
      .catch(() => undefined); // The page may be between two documents.
    if (current === theme) return;
    await page.waitForTimeout(100);
  }
  throw new Error(`The page did not come back in the "${theme}" theme`);
}

/** Tabs through the page's controls; each must show a focus ring. Returns what it reached. */
async function focusRings(page: Page, limit = 60): Promise<string[]> {
  // Start from the top of the page (the chat focuses its message box when it loads).
  await page.evaluate(() => {
    const start = document.createElement("span");
    start.id = "tab-start";
    start.tabIndex = -1;
    document.body.prepend(start);
    start.focus();
  });
  const reached: string[] = [];
  for (let index = 0; index < limit; index++) {
    await page.keyboard.press("Tab");
    const focused = await page.evaluate(() => {
      let element = document.activeElement as HTMLElement | null;
      if (!element || element === document.body) return undefined;
      // A checkbox drawn by its label shows the ring on the label.
      if (element instanceof HTMLInputElement && element.type === "checkbox") {
        element = element.labels?.[0] ?? element;
      }
      const style = getComputedStyle(element);
      return {
        name: `<${element.tagName.toLowerCase()} class="${element.className}"> ${
          element.textContent?.trim().slice(0, 30)
        }`,
        ring: style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 1,
      };
    });
    if (!focused) break;
    if (focused.name.includes("tab-start")) continue;
    assert.ok(focused.ring, `a visible focus ring on ${focused.name}`);
    reached.push(focused.name);
  }
  await page.evaluate(() => document.getElementById("tab-start")?.remove());
  return reached;
}

browserTest("every page passes axe in both themes, and is operable by keyboard", async () => {
  const dataDir = await Deno.makeTempDir({ prefix: "palot-look-" });
  const port = freePort();
  const palot = appOver(dataDir, { port, status: "starting" });
  const server = Deno.serve({ hostname: "127.0.0.1", port, onListen() {} }, palot.app.fetch);
  const browser = await launchChromium();
  try {
    await writeStorage(dataDir);
    const url = `http://127.0.0.1:${port}`;

    const favicon = await fetch(`${url}/favicon.ico`);
    assert.equal(favicon.status, 200);
    assert.equal(favicon.headers.get("content-type"), "image/x-icon");
    await favicon.body?.cancel();
    const manifest = await (await fetch(`${url}/manifest.webmanifest`)).json();
    assert.equal(manifest.display, "standalone");
    for (const size of ["192x192", "512x512"]) {
      const icon = manifest.icons.find((entry: { sizes: string }) => entry.sizes === size);
      const response = await fetch(`${url}${icon.src}`);
      assert.equal(response.status, 200, size);
      await response.body?.cancel();
    }

    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    const missing: string[] = [];
    page.on("response", (response) => {
      if (response.status() === 404) missing.push(response.url());
    });
    const pages = [
      "/",
      "/project/p1",
      "/project/p1/new",
      "/session/s1",
      "/search?q=header",
      "/settings",
    ];
    await page.goto(url);
    assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), "system");
    await page.getByRole("group", { name: "Theme" }).getByRole("button", { name: "Light" }).click();
    await waitForTheme(page, "light");
    for (const theme of ["light", "dark"]) {
      for (const path of pages) {
        await page.goto(url + path);
        assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), theme);
        await assertAccessible(page, `${path}, ${theme}`);
      }
      // The command palette, open over the session page.
      const palette = page.getByRole("dialog", { name: "Command palette" });
      await waitFor(async () => { // Ctrl+K works once the island has hydrated.
        await page.keyboard.press("Control+k");
        return await palette.isVisible();
      }, { message: "the command palette open" });
      await palette.getByRole("option").first().waitFor();
      await assertAccessible(page, `command palette, ${theme}`);
      await page.keyboard.press("Escape");
      await palette.waitFor({ state: "hidden" });
      // The Theme control: the next page is rendered by the server in the chosen theme.
      await page.getByRole("group", { name: "Theme" }).getByRole("button", { name: "Dark" })
        .click();
      await waitForTheme(page, "dark");
    }
    assert.equal(
      await page.evaluate(() => getComputedStyle(document.body).backgroundColor),
      "rgb(18, 18, 17)",
    );
    assert.deepEqual(missing, [], "no 404, not even /favicon.ico");

    // A session: the rows and cards carry what helps choosing, and the tool cards fold.
    await page.goto(`${url}/project/p1`);
    const row = page.locator(".session-row").filter({ hasText: "Tidy the header" });
    assert.match(await row.innerText(), /(minute|minutes) ago[\s\S]*3 files\s*\+12\s*−4/);
    await page.goto(`${url}/session/s1`);
    const [long, edit, failed] = [
      page.locator('.part.tool[data-tool="bash"]').first(),
      page.locator('.part.tool[data-tool="edit"]'),
      page.locator('.part.tool[data-tool="bash"]').nth(1),
    ];
    assert.match(
      await long.locator(".tool-head").innerText(),
      /bash\s+Count to forty\s+completed\s+1\.5 s/,
    );
    assert.equal(await long.locator("details pre").isVisible(), false, "long output is folded");
    assert.match(await long.locator(".tool-preview").innerText(), /^1\n[\s\S]*\n10$/);
    await long.locator("summary", { hasText: "Show all" }).focus();
    await page.keyboard.press("Enter");
    assert.match(await long.locator("details pre").innerText(), /\n40$/);
    assert.equal(await long.locator(".tool-preview").isVisible(), false);
    await long.getByText("Show less").click();
    assert.equal(await long.locator("details pre").isVisible(), false);
    assert.match(
      await edit.getByLabel(/Changes to .*header\.html/).innerText(),
      /^\+ <h1 class=x>$/m,
    );
    assert.match(await failed.innerText(), /Failed: make: \*\*\* \[lint\] Error 1/);
    const code = page.locator(".code-block");
    assert.equal(await code.locator(".code-language").innerText(), "bash");
    assert.equal(await code.locator(".hljs-string").first().innerText(), "'<h1'");

    // Every control is reachable by keyboard and shows a focus ring; the sidebar folds away.
    const reached = (await focusRings(page)).join("\n");
    for (
      const control of ["Skip to content", "theme-option", "Hide sidebar", "Show less", "Copy"]
    ) {
      assert.ok(reached.includes(control), `${control} is reached by Tab in:\n${reached}`);
    }
    const nav = page.getByRole("navigation", { name: "Projects" });
    await page.getByLabel("Hide sidebar").focus();
    await page.keyboard.press("Space");
    await nav.waitFor({ state: "hidden" });
    await page.keyboard.press("Space");
    await nav.waitFor();

    // Without JavaScript: readable, and the Theme control still works.
    const plain = await browser.newContext({ javaScriptEnabled: false });
    const noScript = await plain.newPage();
    await noScript.goto(`${url}/session/s1`);
    assert.equal(await noScript.locator("html").getAttribute("data-theme"), "system");
    await noScript.getByRole("group", { name: "Theme" }).getByRole("button", { name: "Light" })
      .click();
    await waitForTheme(noScript, "light");
    assert.equal(noScript.url(), `${url}/session/s1`, "back on the same page");
    await noScript.getByText("Count to forty").waitFor();

    // At phone width: no sideways scrolling, and still no violation.
    const small = await browser.newContext({ viewport: { width: 390, height: 844 } });
    const phone = await small.newPage();
    await phone.goto(`${url}/session/s1`);
    const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - innerWidth);
    assert.ok(overflow <= 1, `no sideways scrolling (${overflow}px)`);
    await assertAccessible(phone, "session at phone width");
  } finally {
    await browser.close();
    await server.shutdown();
    palot.discovery.close();
    await Deno.remove(dataDir, { recursive: true });
  }
});
