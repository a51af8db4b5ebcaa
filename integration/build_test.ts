/**
 * `deno task build` run twice at once (two test runs, a test run and `deno task start`): both
 * succeed, a Palot serving pages meanwhile never lacks its islands (for longer than a rename), and
 * `static/build/` ends whole, with no build's folder left behind.
 */

import assert from "node:assert/strict";
import { join } from "node:path";

const ROOT = join(import.meta.dirname!, "..");

const BOOT = join(ROOT, "static", "build", "lib", "client", "boot.js");
const present = (path: string) => Deno.stat(path).then(() => true, () => false);

Deno.test("two builds at once both succeed and leave one whole build", async () => {
  const build = () =>
    new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", "build.ts"],
      cwd: ROOT,
      stdout: "piped",
      stderr: "piped",
    }).output();
  assert.ok(await present(BOOT), "a build to start from (deno task test:integration makes one)");
  let building = true;
  const builds = Promise.all([build(), build()]).finally(() => building = false);
  // What a Palot serving pages meanwhile would see: boot.js gone for more than a moment.
  let missing = 0;
  while (building) {
    if (!await present(BOOT)) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      if (!await present(BOOT)) missing++;
    }
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  const results = await builds;
  assert.equal(missing, 0, "boot.js was missing while the builds ran");
  for (const { success, stderr } of results) {
    assert.ok(success, new TextDecoder().decode(stderr));
  }
  const islands = [...Deno.readDirSync(join(ROOT, "islands"))]
    .filter((entry) => entry.name.endsWith(".tsx"))
    .map((entry) => entry.name.replace(/\.tsx$/, ".js"));
  for (const name of islands) {
    assert.ok((await Deno.stat(join(ROOT, "static", "build", "islands", name))).isFile, name);
  }
  assert.ok(await present(BOOT));
  const left = [...Deno.readDirSync(join(ROOT, "static"))]
    .map((entry) => entry.name)
    .filter((name) => name.startsWith("build."));
  assert.deepEqual(left, []);
});
