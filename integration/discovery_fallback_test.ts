/**
 * Discovery through OpenCode's API when its storage has a layout Palot does not know: Palot over
 * a data folder whose `opencode.db` holds only tables of a future version lists the real
 * OpenCode's projects and sessions through its API, says so once on the home page (and once in its
 * log), and follows a session created afterwards.
 */

import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { join } from "node:path";
import { startPalot } from "../testing/palot.ts";
import { OpencodeWorld, waitFor } from "../testing/world.ts";

Deno.test("an opencode.db of an unknown layout: projects and sessions through the API, said once", async () => {
  await using world = await OpencodeWorld.create();
  const alpha = await world.makeProject("alpha");
  const future = join(world.root, "future-data");
  await Deno.mkdir(future);
  const db = new DatabaseSync(join(future, "opencode.db"));
  db.exec("CREATE TABLE session_v2 (id TEXT PRIMARY KEY, data TEXT)");
  db.close();
  await using palot = await startPalot(world, { args: ["--data-dir", future] });
  const post = (title: string) =>
    palot.fetch(`/api/opencode/session?directory=${encodeURIComponent(alpha)}`, {
      method: "POST",
      headers: { origin: palot.url, "content-type": "application/json" },
      body: JSON.stringify({ title }),
    });
  await waitFor(async () => (await post("First through the API")).ok, {
    timeoutMs: 120_000,
    message: "OpenCode ready",
  });
  const home = await waitFor(async () => {
    const text = await (await palot.fetch("/")).text();
    return text.includes(">alpha<") ? text : undefined;
  }, { timeoutMs: 30_000, message: "alpha listed through the API" });
  const notes = home.match(
    /lists projects and sessions through OpenCode&#39;s API|lists projects and sessions through OpenCode's API/g,
  ) ?? [];
  assert.equal(notes.length, 1, "said once");
  assert.match(home, /no such table/);
  const projectHref = home.match(/href="(\/project\/[^"]+)"/)?.[1];
  assert.ok(projectHref);
  await waitFor(
    async () => (await (await palot.fetch(projectHref)).text()).includes("First through the API"),
    { timeoutMs: 15_000, message: "the first session listed" },
  );
  // A session created now arrives through the events.
  assert.ok((await post("Second through the API")).ok);
  await waitFor(
    async () => (await (await palot.fetch(projectHref)).text()).includes("Second through the API"),
    { timeoutMs: 15_000, message: "the new session listed" },
  );
  assert.equal(
    palot.logs.filter((line) => line.includes("through OpenCode's API")).length,
    1,
    "logged once",
  );
});
