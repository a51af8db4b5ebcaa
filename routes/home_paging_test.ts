/** The home page at many projects: a bounded first page, and every project reachable by links. */

import assert from "node:assert/strict";
import { appOver } from "../testing/app_over.ts";
import { manyProjects } from "../testing/many_projects.ts";
import { PROJECTS_PER_PAGE } from "./index.tsx";

const cards = (html: string) =>
  [...html.matchAll(/class="project-name" href="\/project\/([^"]+)"/g)].map((match) => match[1]);
const moreLink = (html: string) =>
  html.match(/<a href="([^"]+)" data-more-projects[^>]*>More projects<\/a>/)?.[1];

Deno.test("the home page lists a page of projects and links to the next, up to the last", async () => {
  await using world = await manyProjects(PROJECTS_PER_PAGE * 2 + 7);
  using palot = appOver(world.dataDir, { status: "starting" });
  const seen: string[] = [];
  let path: string | undefined = "/";
  let pages = 0;
  while (path) {
    const response = await palot.fetch(path);
    assert.equal(response.status, 200);
    const html = await response.text();
    const shown = cards(html);
    assert.ok(shown.length <= PROJECTS_PER_PAGE, `${path}: at most a page of cards`);
    seen.push(...shown);
    pages++;
    assert.match(html, /107 projects · page \d of 3/);
    path = moreLink(html);
    if (pages === 3) {
      assert.equal(path, undefined, "the last page has no More projects");
      assert.match(html, /<a href="\/\?page=2">Previous projects<\/a>/);
    }
  }
  assert.equal(pages, 3);
  assert.deepEqual(seen, world.projectIds, "every project once, newest activity first");
});

Deno.test("a page number past the end shows the last page; nonsense shows the first", async () => {
  await using world = await manyProjects(PROJECTS_PER_PAGE + 1);
  using palot = appOver(world.dataDir, { status: "starting" });
  assert.deepEqual(cards(await (await palot.fetch("/?page=99")).text()), [world.projectIds.at(-1)]);
  const first = await (await palot.fetch("/?page=abc")).text();
  assert.equal(cards(first).length, PROJECTS_PER_PAGE);
  assert.equal(moreLink(first), "/?page=2");
});

Deno.test("a few projects: one page, no pager", async () => {
  await using world = await manyProjects(3);
  using palot = appOver(world.dataDir, { status: "starting" });
  const html = await (await palot.fetch("/")).text();
  assert.equal(cards(html).length, 3);
  assert.doesNotMatch(html, /More projects|Previous projects|page 1 of/);
});
