/**
 * Another machine in the same page, in a real browser: a second real `opencode serve` with its own
 * HOME and password stands in for it. Settings → Servers refuses a wrong password and adds the
 * server; the home page lists its project under its name with `Online`; New session on it and a
 * chat answered by the fake LLM through Palot's per-server proxy, at an address naming the server;
 * killed, its heading says `Offline` with why without a reload while this machine's projects
 * still open, and its chat keeps the draft; back, it is `Online` again without a reload.
 */

import assert from "node:assert/strict";
import { OpencodeWorld, type RunningOpencode } from "../testing/world.ts";
import { assertAccessible } from "./axe.ts";
import { browserTest, islandReady, send, sharedApp } from "./harness.ts";

const stack = sharedApp();

browserTest("another machine: added, listed, chatted with, offline and back", async () => {
  await using app = await stack.use(["near"]);
  await using other = await OpencodeWorld.create({ llm: app.llm });
  const far = await other.makeProject("far-away");
  let remote: RunningOpencode = await other.startOpencode();
  await remote.client(far).session.create({ title: "Remote plans" });
  await (await app.palot.fetch(
    `/api/opencode/project/current?directory=${encodeURIComponent(app.projects.near)}`,
  )).body?.cancel();

  const page = await app.newPage();
  await page.goto(`${app.palot.url}/settings`);
  await islandReady(page, "MachineStatus").catch(() => {});
  const servers = page.getByRole("region", { name: "Servers" });
  await servers.getByLabel("Server address").fill(remote.url);
  await servers.getByLabel("Password", { exact: true }).fill("not-the-password");
  await servers.getByRole("button", { name: "Add server" }).click();
  await page.getByRole("alert").filter({ hasText: "Wrong password" }).waitFor();
  // What was typed is kept (not the password).
  assert.equal(await servers.getByLabel("Server address").inputValue(), remote.url);
  await servers.getByLabel("Password", { exact: true }).fill(remote.password);
  await servers.getByLabel("Name", { exact: true }).fill("Desk box");
  await servers.getByRole("button", { name: "Add server" }).click();
  await page.getByRole("status").filter({ hasText: "Added Desk box." }).waitFor();
  assert.ok(!(await page.content()).includes(remote.password));
  await assertAccessible(page, "Settings with a server");

  // Home: this machine first, then the server with its project.
  await page.goto(app.palot.url);
  const desk = page.getByRole("region", { name: /Desk box/ });
  await desk.getByRole("link", { name: "far-away" }).waitFor({ timeout: 30_000 });
  await desk.getByRole("status").filter({ hasText: "Online" }).waitFor({ timeout: 30_000 });
  const headings = await page.getByRole("heading", { level: 2 }).allInnerTexts();
  assert.ok(
    headings.findIndex((text) => text.startsWith("This machine")) <
      headings.findIndex((text) => text.startsWith("Desk box")),
    headings.join(" | "),
  );
  await page.getByRole("region", { name: /This machine/ }).getByRole("link", { name: "near" })
    .waitFor();
  await assertAccessible(page, "home with two machines");

  // Its project page, New session, a chat through Palot.
  await desk.getByRole("link", { name: "far-away" }).click();
  await page.getByRole("main").getByRole("link", { name: "Remote plans" }).waitFor();
  assert.match(page.url(), /\/s\/desk-box\/project\//);
  await page.getByRole("link", { name: "New session" }).click();
  await page.getByRole("status").filter({ hasText: "Connected" }).waitFor({ timeout: 30_000 });
  await page.locator('[role=combobox][aria-label="Agent"]:not([disabled])').waitFor({
    timeout: 60_000,
  });
  await islandReady(page, "Chat");
  app.llm.enqueue({ text: "Hello from the far machine" });
  await send(page, "Say hello");
  await page.getByText("Hello from the far machine").waitFor({ timeout: 60_000 });
  await page.waitForURL(/\/s\/desk-box\/session\/ses_/);
  const sessionUrl = page.url();

  // Killed: the home page says Offline without a reload; this machine's projects still open.
  const home = await app.newPage();
  await home.goto(app.palot.url);
  const port = Number(new URL(remote.url).port);
  const password = remote.password;
  await remote.stop();
  const homeDesk = home.getByRole("region", { name: /Desk box/ });
  await homeDesk.getByRole("status").filter({ hasText: /Offline: .*last seen/ }).waitFor({
    timeout: 30_000,
  });
  await homeDesk.getByRole("link", { name: "far-away" }).waitFor();
  await page.getByRole("status").filter({ hasText: "Reconnecting…" }).waitFor({ timeout: 30_000 });
  await page.getByLabel("Message", { exact: true }).fill("A draft while it is away");
  const local = await app.newPage();
  await local.goto(app.palot.url);
  await local.getByRole("link", { name: "near" }).click();
  await local.getByRole("heading", { name: "near" }).waitFor({ timeout: 10_000 });

  // Back: Online again, without a reload; the chat reconnects and the draft is still there.
  remote = await other.startOpencode({ port, password });
  await homeDesk.getByRole("status").filter({ hasText: "Online" }).waitFor({ timeout: 30_000 });
  await page.getByRole("status").filter({ hasText: "Connected" }).waitFor({ timeout: 30_000 });
  assert.equal(
    await page.getByLabel("Message", { exact: true }).inputValue(),
    "A draft while it is away",
  );
  assert.equal(page.url(), sessionUrl);
  await remote.stop();
});

stack.stopAfterAll();
