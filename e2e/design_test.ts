/**
 * The look of a live chat against the real opencode: code blocks with `Copy` (the clipboard), a
 * permission prompt with the tab's icon showing its dot, the Theme control on a live page, a real
 * tool's long output behind `Show all`, the favicon and the manifest, and axe-core on the session
 * (tool card, permission prompt, diff) and the other pages in both themes. It also writes the
 * dark-theme screenshots. The pages' look without opencode is in `look_test.ts`.
 */

import assert from "node:assert/strict";
import { waitFor } from "../testing/world.ts";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { assertAccessible } from "./axe.ts";
import { browserTest, openNewChat, registerProject, send, startApp } from "./harness.ts";

const assistant = (page: Page) => page.locator("article.message.assistant");
const faviconDot = (page: Page) =>
  page.evaluate(() => document.querySelector<HTMLElement>('link[rel="icon"]')?.dataset.dot);
const theme = (page: Page) => page.evaluate(() => document.documentElement.dataset.theme);
const background = (page: Page) =>
  page.evaluate(() => getComputedStyle(document.body).backgroundColor);

browserTest(
  "a live chat: Copy, a permission with the tab's dot, the Theme control, Show all, axe in both themes",
  async () => {
    await using app = await startApp({
      projects: ["alpha", "beta"],
      world: { config: { permission: { bash: "ask" } } },
    });
    const projectId = await registerProject(app, app.projects.alpha);
    await registerProject(app, app.projects.beta);
    const readme = join(app.projects.alpha, "README.md");

    // The favicon and the manifest are served; the manifest makes an installable app.
    const favicon = await app.palot.fetch("/favicon.ico");
    assert.equal(favicon.status, 200);
    assert.equal(favicon.headers.get("content-type"), "image/x-icon");
    assert.deepEqual([...new Uint8Array(await favicon.arrayBuffer()).slice(0, 4)], [0, 0, 1, 0]);
    const manifest = await (await app.palot.fetch("/manifest.webmanifest")).json();
    assert.equal(manifest.display, "standalone");
    assert.equal(manifest.start_url, "/");
    assert.match(manifest.theme_color, /^#[0-9a-f]{6}$/);
    for (const icon of manifest.icons) {
      const response = await app.palot.fetch(icon.src);
      assert.equal(response.status, 200, icon.src);
      const type = response.headers.get("content-type")?.split(";")[0];
      assert.equal(type, icon.type, icon.src);
      await response.body?.cancel();
    }

    const page = await app.newPage();
    const problems: string[] = [];
    page.on("pageerror", (error) => problems.push(error.message));
    page.on("response", (response) => {
      if (response.status() >= 400) problems.push(`${response.status()} ${response.url()}`);
    });
    await page.context().grantPermissions(["clipboard-read", "clipboard-write"], {
      origin: app.palot.url,
    });
    await openNewChat(app, page, projectId);
    assert.equal(await theme(page), "system");
    assert.equal(await page.locator('link[rel="manifest"]').count(), 1);

    app.llm.enqueue(
      {
        toolCalls: [{
          name: "edit",
          arguments: { filePath: readme, oldString: "# alpha", newString: "# Alpha project" },
        }],
      },
      { text: "Done. Run it with:\n\n```bash\necho hello-from-code\n```\n" },
    );
    await send(page, "Rename the title");
    await assistant(page).getByText("Done. Run it with").waitFor({ timeout: 30_000 });
    const code = page.locator(".code-block").first();
    // "Copied" shows for two seconds: recorded as it happens, so a loaded machine cannot miss it.
    await code.evaluate((block) => {
      const said: string[] = [];
      (globalThis as { __copySaid?: string[] }).__copySaid = said;
      new MutationObserver(() => said.push(block.querySelector(".code-copy")!.textContent ?? ""))
        .observe(block, { subtree: true, childList: true, characterData: true });
    });
    await code.getByRole("button", { name: "Copy" }).click();
    await waitFor(
      () =>
        page.evaluate(() =>
          (globalThis as { __copySaid?: string[] }).__copySaid!.includes("Copied")
        ),
      { message: "the Copy button saying Copied" },
    );
    assert.equal(
      (await page.evaluate(() => navigator.clipboard.readText())).trim(),
      "echo hello-from-code",
    );
    const edit = page.locator('.part.tool[data-tool="edit"]');
    await edit.getByLabel(/Changes to .*README\.md/).waitFor();
    assert.match(
      await edit.locator(".tool-head").innerText(),
      /edit[\s\S]*README\.md[\s\S]*completed/,
    );

    // A long shell output, asked for permission first: the tab's icon shows it waits.
    app.llm.enqueue(
      { toolCalls: [{ name: "bash", arguments: { command: "seq 1 40", description: "Count" } }] },
      { text: "Counted." },
    );
    await send(page, "Count to forty");
    const permission = page.getByRole("group", { name: "Permission request" });
    await permission.waitFor({ timeout: 60_000 });
    await page.waitForFunction(
      () => document.querySelector<HTMLElement>('link[rel="icon"]')?.dataset.dot === "true",
      undefined,
      { timeout: 30_000 },
    );
    await assertAccessible(
      page,
      "a session with a permission prompt, a tool card and a diff, light",
    );

    // The Theme control: the page comes back in the dark theme, rendered so by the server.
    await page.getByRole("group", { name: "Theme" }).getByRole("button", { name: "Dark" }).click();
    await page.waitForFunction(() => document.documentElement.dataset.theme === "dark");
    await page.locator('[role=combobox][aria-label="Agent"]:not([disabled])').waitFor({
      timeout: 15_000,
    });
    assert.equal(await background(page), "rgb(18, 18, 17)");
    assert.equal(
      await page.getByRole("group", { name: "Theme" }).getByRole("button", { name: "Dark" })
        .getAttribute("aria-pressed"),
      "true",
    );
    await permission.waitFor({ timeout: 30_000 });
    await assertAccessible(
      page,
      "a session with a permission prompt, a tool card and a diff, dark",
    );
    await app.screenshot(page, "permission-dark");
    await permission.getByRole("button", { name: "Allow once" }).click();
    await assistant(page).getByText("Counted.").waitFor({ timeout: 60_000 });
    await page.waitForFunction(
      () => document.querySelector<HTMLElement>('link[rel="icon"]')?.dataset.dot === "false",
    );
    assert.equal(await faviconDot(page), "false");

    // The tool card: one header line, the first lines of its output, the rest behind Show all.
    const bash = page.locator('.part.tool[data-tool="bash"]');
    assert.match(
      await bash.locator(".tool-head").innerText(),
      /bash\s+seq 1 40\s+completed\s+[\d.]+ s/,
    );
    const full = bash.locator("details pre");
    assert.equal(await full.isVisible(), false, "long output is folded");
    assert.match(await bash.locator(".tool-preview").innerText(), /^1\n2\n[\s\S]*\n10$/);
    const showAll = bash.locator("summary");
    assert.match(await showAll.innerText(), /^Show all\s*40 lines$/);
    await showAll.focus();
    await page.keyboard.press("Enter");
    await full.waitFor();
    assert.match(await full.innerText(), /\n40\n?$/);
    assert.equal(await bash.locator(".tool-preview").isVisible(), false);
    await assertAccessible(page, "a session with tool cards and a diff, dark");
    await app.screenshot(page, "live-chat-dark");

    // The other pages keep the theme (the cookie stays); with live data they pass axe too. (Every
    // page in both themes, focus rings and the sidebar are in look_test.ts.)
    await page.goto(app.palot.url);
    assert.equal(await theme(page), "dark");
    await page.getByRole("status").filter({ hasText: "Connected" }).waitFor({ timeout: 30_000 });
    await assertAccessible(page, "home with live data, dark");
    await app.screenshot(page, "home-dark");
    await page.getByRole("main").getByRole("link", { name: "alpha" }).click();
    await page.getByRole("heading", { name: "alpha" }).waitFor();
    await assertAccessible(page, "project with live data, dark");
    await app.screenshot(page, "project-dark");
    await page.getByRole("group", { name: "Theme" }).getByRole("button", { name: "Light" }).click();
    await page.waitForFunction(() => document.documentElement.dataset.theme === "light");
    assert.equal(await background(page), "rgb(247, 247, 245)");

    // A phone-width page in the dark theme.
    const phone = await app.newPage({ width: 390, height: 844, theme: "dark" });
    await phone.goto(`${app.palot.url}/project/${projectId}`);
    await phone.getByRole("heading", { name: "alpha" }).waitFor();
    await app.screenshot(phone, "phone-dark");
    assert.deepEqual(problems, []);
  },
);
