/** The server-rendered pages over the legacy fixture: plain HTML, no script needed. */

import assert from "node:assert/strict";
import { join } from "node:path";
import { compactStylesheet } from "./views/document.ts";
import { appOver, LEGACY_DATA_DIR as LEGACY } from "../testing/app_over.ts";

const ROOT = join(import.meta.dirname!, "..");

/** The app over `dataDir` before opencode is ready, and a GET that reads the whole page. */
function pagesOver(dataDir: string) {
  const palot = appOver(dataDir, { status: "starting" });
  const get = async (path: string) => {
    const response = await palot.fetch(path);
    return {
      status: response.status,
      html: await response.text(),
      type: response.headers.get("content-type"),
    };
  };
  return { get, discovery: palot.discovery };
}

Deno.test("pages list projects, sessions and messages as plain HTML", async () => {
  const { get, discovery } = pagesOver(LEGACY);
  try {
    const home = await get("/");
    assert.equal(home.status, 200);
    assert.match(home.html, /<title>Projects · Palot<\/title>/);
    // The page is the project list: no sidebar repeating it, and the stylesheet inlined.
    assert.doesNotMatch(home.html, /<nav aria-label="Projects"/);
    const [stylesheet, chatStylesheet] = await Promise.all(
      ["app.css", "chat.css"].map(async (name) =>
        compactStylesheet(await Deno.readTextFile(join(ROOT, "static", name)))
      ),
    );
    assert.ok(home.html.includes(`<style>${stylesheet}</style>`), "the stylesheet is inlined");
    assert.doesNotMatch(home.html, /<link rel="stylesheet"/);
    assert.match(home.html, /data-island="LiveActivity"/, '"Active now" is on the home page');
    for (const name of ["My App", "notes", "tool"]) {
      assert.ok(home.html.includes(`>${name}</a>`), name);
    }
    // One list for assistive technology, whatever blocks the cards are laid out in.
    assert.equal(home.html.match(/role="list"/g)?.length, 1);
    assert.equal(home.html.match(/class="project-card" role="listitem"/g)?.length, 3);
    // The cards' icons are defined once in the page and used by reference in each card.
    assert.equal(home.html.match(/<symbol id="icon-folder"/g)?.length, 1);
    assert.equal(home.html.match(/<use href="#icon-folder"><\/use>/g)?.length, 3);
    assert.ok(home.html.includes("/home/me/app"));
    assert.ok(home.html.includes("2 sessions"));

    const project = await get("/project/prj_app");
    assert.equal(project.status, 200);
    assert.match(project.html, /<title>My App · Palot<\/title>/);
    assert.ok(project.html.indexOf("Fix the build") < project.html.indexOf("Add a README"));
    assert.ok(!project.html.includes("Old idea"), "archived hidden");
    assert.ok(!project.html.includes("Explore the build"), "sub-agent sessions are not rows");
    assert.ok(project.html.includes("1 sub-agent"));
    assert.ok(project.html.includes(">New session</a>"));
    assert.ok((await get("/project/prj_app?archived=1")).html.includes("Old idea"));

    const session = await get("/session/ses_legacy_fix");
    // A chat's page has the chat's styles after the others; the home page goes without them.
    assert.ok(session.html.includes(`<style>${stylesheet}${chatStylesheet}</style>`));
    assert.equal(session.status, 200);
    assert.match(session.html, /<title>Fix the build · My App · Palot<\/title>/);
    assert.ok(session.html.includes("<strong>fixed</strong>"), "Markdown rendered");
    assert.ok(session.html.includes("Please fix the build"));
    assert.match(
      session.html,
      /class="tool-name">bash<\/span><span class="tool-input">make<\/span>/,
    );
    assert.ok(session.html.includes('href="/session/ses_legacy_child"'), "children linked");
    const child = await get("/session/ses_legacy_child");
    assert.ok(child.html.includes("sub-agent of"));
  } finally {
    discovery.close();
  }
});

Deno.test("unknown ids and bad page numbers answer well", async () => {
  const { get, discovery } = pagesOver(LEGACY);
  try {
    for (
      const path of ["/project/nope", "/session/nope", "/project/%27%20OR%201%3D1", "/nowhere"]
    ) {
      const response = await get(path);
      assert.equal(response.status, 404, path);
      assert.match(response.html, /<h1>Not found<\/h1>/);
    }
    const api = await get("/api/nowhere");
    assert.equal(api.status, 404);
    assert.deepEqual(JSON.parse(api.html), { error: "Not found" });
    for (const page of ["-1", "abc", "99999999999", "2"]) {
      const response = await get(`/project/prj_app?page=${page}`);
      assert.equal(response.status, 200, page);
    }
  } finally {
    discovery.close();
  }
});

Deno.test("a missing data dir says where Palot looked and how to point elsewhere", async () => {
  const { get, discovery } = pagesOver("/no/such/place/opencode");
  try {
    const home = await get("/");
    assert.equal(home.status, 200);
    assert.ok(home.html.includes("/no/such/place/opencode"));
    assert.ok(home.html.includes("--data-dir"));
  } finally {
    discovery.close();
  }
});

Deno.test("untrusted titles and text are escaped", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.mkdir(join(dir, "storage", "project"), { recursive: true });
    await Deno.mkdir(join(dir, "storage", "session", "p1"), { recursive: true });
    await Deno.mkdir(join(dir, "storage", "message", "s1"), { recursive: true });
    await Deno.mkdir(join(dir, "storage", "part", "m1"), { recursive: true });
    const evil = '<img src=x onerror="alert(1)">';
    await Deno.writeTextFile(
      join(dir, "storage", "project", "p1.json"),
      JSON.stringify({ id: "p1", worktree: `/tmp/${evil}`, vcs: "git", time: { updated: 1 } }),
    );
    await Deno.writeTextFile(
      join(dir, "storage", "session", "p1", "s1.json"),
      JSON.stringify({
        id: "s1",
        projectID: "p1",
        directory: "/tmp",
        title: evil,
        time: { created: 1, updated: 2 },
      }),
    );
    await Deno.writeTextFile(
      join(dir, "storage", "message", "s1", "m1.json"),
      JSON.stringify({ id: "m1", sessionID: "s1", role: "assistant", time: { created: 3 } }),
    );
    await Deno.writeTextFile(
      join(dir, "storage", "part", "m1", "t1.json"),
      JSON.stringify({
        id: "t1",
        messageID: "m1",
        sessionID: "s1",
        type: "text",
        text: `${evil}<script>alert(2)</script>`,
      }),
    );
    const { get, discovery } = pagesOver(dir);
    try {
      for (const path of ["/", "/project/p1", "/session/s1"]) {
        const { html } = await get(path);
        assert.ok(!html.includes("<img src=x"), path);
        assert.ok(!html.includes("<script>alert"), path);
      }
      assert.ok((await get("/session/s1")).html.includes("&lt;script&gt;alert(2)&lt;/script&gt;"));
    } finally {
      discovery.close();
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
