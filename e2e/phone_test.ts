/**
 * Palot from a phone: a 360 px wide screen signed in with the token (the remote mode), where the
 * composer, the toolbar and a permission's buttons are reachable without sideways scrolling, the
 * sidebar is a drawer, and the composer stays in view when the on-screen keyboard takes half the
 * screen; and Settings → New token, which keeps this browser signed in and signs out another.
 */

import assert from "node:assert/strict";
import type { Locator, Page } from "playwright-core";
import { browserTest, registerProject, type RunningApp, send, startApp } from "./harness.ts";

const WIDTH = 360;
const HEIGHT = 740;
/** About what an on-screen keyboard leaves of a 740 px tall phone screen. */
const HEIGHT_WITH_KEYBOARD = 400;

/** How far the page scrolls sideways (0 when it fits). */
const sidewaysOverflow = (page: Page) =>
  page.evaluate(() => document.documentElement.scrollWidth - innerWidth);

/** Asserts `locator` lies wholly inside the screen (scrolled into view vertically if need be). */
async function assertReachable(page: Page, locator: Locator, name: string) {
  await locator.scrollIntoViewIfNeeded();
  const box = await locator.boundingBox();
  const { width, height } = page.viewportSize()!;
  assert.ok(box, `${name} is shown`);
  assert.ok(
    box.x >= 0 && box.x + box.width <= width && box.y >= 0 && box.y + box.height <= height,
    `${name} is inside the ${width}×${height} screen: ${JSON.stringify(box)}`,
  );
}

/** Opens a new chat; loads it again if a busy machine made OpenCode miss its first requests. */
async function openNewChat(app: RunningApp, page: Page, projectId: string) {
  const agent = page.locator('[role=combobox][aria-label="Agent"]:not([disabled])');
  for (let attempt = 1;; attempt++) {
    await page.goto(`${app.palot.url}/project/${projectId}/new`);
    await page.getByRole("status").filter({ hasText: "Connected" }).waitFor({ timeout: 60_000 });
    try {
      await agent.waitFor({ timeout: 30_000 });
      return;
    } catch (error) {
      if (attempt === 3) throw error;
    }
  }
}

browserTest(
  "a phone at 360 px chats comfortably; New token signs out the other browser",
  async () => {
    const token = `phone-${crypto.randomUUID()}`;
    await using app = await startApp({
      projects: ["alpha"],
      world: { config: { permission: { bash: "ask" } } },
      palot: { token },
    });
    const projectId = await registerProject(app, app.projects.alpha);
    const phone = await app.newPage({ width: WIDTH, height: HEIGHT });
    const errors: string[] = [];
    phone.on("pageerror", (error) => errors.push(error.message));
    await phone.goto(`${app.palot.url}/?token=${token}`);
    await phone.getByRole("heading", { name: "Projects" }).waitFor();
    assert.equal(new URL(phone.url()).search, "", "the token leaves the address bar");
    assert.equal(await sidewaysOverflow(phone), 0, "home fits");
    assert.match(
      await phone.locator('meta[name="viewport"]').getAttribute("content") ?? "",
      /interactive-widget=resizes-content/,
      "the on-screen keyboard shrinks the page instead of covering the composer",
    );

    // The new chat as first painted (the toolbar fills in once OpenCode answers).
    await phone.goto(`${app.palot.url}/project/${projectId}/new`);
    await phone.getByRole("status").filter({ hasText: "Connected" }).waitFor({ timeout: 60_000 });
    assert.equal(await sidewaysOverflow(phone), 0, "the new chat fits");
    // (Variant shows only for a model with variants; Mock One has none.)
    for (const name of ["Agent", "Model"]) {
      await assertReachable(phone, phone.getByLabel(name, { exact: true }), name);
    }
    await assertReachable(phone, phone.getByLabel("Message"), "the message box");
    await assertReachable(phone, phone.getByRole("button", { name: "Send" }), "Send");

    // The sidebar is a drawer over the page, closed by its Close button or a tap beside it.
    const nav = phone.getByRole("navigation", { name: "Projects" });
    assert.equal(await nav.isVisible(), false, "the drawer starts closed");
    const heading = phone.getByRole("heading", { name: "New session in alpha" });
    /** Where the heading is in the page (not on screen: opening the drawer may scroll). */
    const headingTop = () =>
      heading.evaluate((element) =>
        element.getBoundingClientRect().top + scrollY + document.getElementById("main")!.scrollTop
      );
    const headingBefore = await headingTop();
    await phone.getByText("Projects and sessions").click();
    await nav.waitFor({ state: "visible" });
    await assertReachable(
      phone,
      nav.getByRole("link", { name: "alpha" }),
      "a project in the drawer",
    );
    assert.equal(await headingTop(), headingBefore, "the drawer covers the page, not pushes it");
    await phone.getByText("Close", { exact: true }).click();
    await nav.waitFor({ state: "hidden" });
    await phone.getByText("Projects and sessions").click();
    await nav.waitFor({ state: "visible" });
    await phone.mouse.click(WIDTH - 10, HEIGHT / 2);
    await nav.waitFor({ state: "hidden" });

    // Settings → New token: the phone stays signed in, another browser is signed out.
    const desk = await app.newPage();
    await desk.goto(`${app.palot.url}/?token=${token}`);
    await desk.getByRole("heading", { name: "Projects" }).waitFor();
    await phone.getByRole("link", { name: "Settings" }).click();
    await phone.getByRole("heading", { name: "Remote access" }).waitFor();
    assert.equal(await sidewaysOverflow(phone), 0, "Settings fits");
    await phone.getByRole("button", { name: "New token" }).click();
    await phone.getByText("New token set.").waitFor();
    assert.ok(!(await phone.content()).includes(token), "the old token is gone from the page");
    const reload = await desk.reload();
    assert.equal(reload?.status(), 401, "the other browser is signed out");
    const home = await phone.goto(app.palot.url);
    assert.equal(home?.status(), 200, "this browser stays signed in");
    await desk.close();

    // A long exchange, then a permission request: its buttons fit the screen.
    await openNewChat(app, phone, projectId);
    assert.equal(await sidewaysOverflow(phone), 0, "the new chat with its toolbar loaded fits");
    app.llm.enqueue({ text: "A long answer.\n\n" + "word ".repeat(300) });
    await send(phone, "Tell me a lot");
    await phone.waitForURL(/\/session\/ses_/, { timeout: 30_000 });
    await phone.locator("article.message.assistant").getByText("A long answer.").waitFor({
      timeout: 60_000,
    });
    app.llm.enqueue(
      {
        toolCalls: [{
          name: "bash",
          arguments: {
            command: "echo " + "a-very-long-argument-without-spaces-".repeat(6),
            description: "Print a long word",
          },
        }],
      },
      { text: "Done on the phone." },
    );
    await send(phone, "Run it");
    const card = phone.getByRole("group", { name: "Permission request" });
    await card.waitFor({ timeout: 60_000 });
    await app.screenshot(phone, "phone-permission");
    assert.equal(await sidewaysOverflow(phone), 0, "a chat with a permission request fits");
    for (const name of ["Allow once", "Allow always", "Deny"]) {
      await assertReachable(phone, card.getByRole("button", { name }), name);
    }
    await assertReachable(
      phone,
      phone.getByRole("toolbar", { name: "Prompt settings" }),
      "toolbar",
    );

    // The on-screen keyboard takes the lower half: the composer stays on screen above it.
    await phone.getByLabel("Message").focus();
    await phone.setViewportSize({ width: WIDTH, height: HEIGHT_WITH_KEYBOARD });
    // The chat's page scrolls in its main column (its document never scrolls).
    await phone.evaluate(() => {
      const main = document.getElementById("main")!;
      main.scrollTo(0, main.scrollHeight / 2);
    });
    for (
      const [name, locator] of [
        ["the message box", phone.getByLabel("Message")],
        ["Send", phone.getByRole("button", { name: "Send" })],
      ] as const
    ) {
      const box = (await locator.boundingBox())!;
      assert.ok(box.y >= 0 && box.y + box.height <= HEIGHT_WITH_KEYBOARD, `${name} in view`);
    }
    await phone.setViewportSize({ width: WIDTH, height: HEIGHT });
    await card.getByRole("button", { name: "Allow once" }).click();
    await phone.locator("article.message.assistant").getByText("Done on the phone.").waitFor({
      timeout: 30_000,
    });

    assert.deepEqual(errors, []);
  },
);
