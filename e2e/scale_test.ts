/**
 * The home page at more projects than one page holds: without JavaScript every project is
 * reached by following `More projects`; with it, scrolling down appends the next pages in place
 * until the last project. Palot reads a data folder of 107 projects (written with node:sqlite in
 * OpenCode's table shapes, `testing/many_projects.ts`); its OpenCode runs on its own world.
 */

import assert from "node:assert/strict";
import { PROJECTS_PER_PAGE } from "../routes/index.tsx";
import { manyProjects } from "../testing/many_projects.ts";
import { waitFor } from "../testing/world.ts";
import { browserTest, islandReady, sharedApp } from "./harness.ts";

const COUNT = PROJECTS_PER_PAGE * 2 + 7;
const data = await manyProjects(COUNT);
const last = `project-${String(COUNT - 1).padStart(4, "0")}`;
const stack = sharedApp({ palot: { args: ["--data-dir", data.dataDir] } });

browserTest("without JavaScript, More projects pages through to the last project", async () => {
  await using app = await stack.use();
  const page = await app.newPage({ javaScript: false });
  await page.goto(`${app.palot.url}/`);
  const seen: string[] = [];
  for (let pages = 1;; pages++) {
    const names = await page.locator(".project-card .project-name").allTextContents();
    assert.ok(names.length <= PROJECTS_PER_PAGE, `page ${pages}: at most a page of projects`);
    seen.push(...names);
    const more = page.getByRole("link", { name: "More projects" });
    if (await more.count() === 0) break;
    await more.click();
    await page.waitForURL(`**/?page=${pages + 1}`);
  }
  assert.equal(seen.length, COUNT);
  assert.equal(new Set(seen).size, COUNT, "each project once");
  assert.equal(seen.at(-1), last);
  await page.getByRole("link", { name: last }).scrollIntoViewIfNeeded();
  assert.ok(await page.getByRole("link", { name: last }).isVisible());
});

browserTest("with JavaScript, scrolling down loads the next pages in place", async () => {
  await using app = await stack.use();
  const page = await app.newPage();
  await page.goto(`${app.palot.url}/`);
  await islandReady(page, "MoreProjects");
  assert.equal(await page.locator(".project-card").count(), PROJECTS_PER_PAGE);
  await waitFor(async () => {
    await page.mouse.wheel(0, 4_000);
    return await page.locator(".project-card").count() === COUNT;
  }, {
    timeoutMs: 30_000,
    message: "every project appended by scrolling",
  }).catch(async (error) => {
    throw new Error(
      `${error.message}: ${await page.locator(".project-card").count()} cards, ${await page
        .locator("[data-island=MoreProjects]").innerHTML()}`,
    );
  });
  const lastLink = page.getByRole("link", { name: last, exact: true });
  await lastLink.scrollIntoViewIfNeeded();
  assert.ok(await lastLink.isVisible(), "the last project is on screen");
  assert.equal(new URL(page.url()).pathname + new URL(page.url()).search, "/", "still /");
  assert.equal(await page.getByRole("link", { name: "More projects" }).count(), 0, "no more");
  assert.equal(
    new Set(await page.locator(".project-card .project-name").allTextContents()).size,
    COUNT,
    "each project once",
  );
});

stack.stopAfterAll();
browserTest("the many-project data folder is removed", () => data[Symbol.asyncDispose]());
