/**
 * `deno task build` run twice at once (two test runs, a test run and `deno task start`): both
 * succeed, a Palot serving pages meanwhile never misses a file (boot.js, an island), and
 * `static/build/` ends whole, with no build's folder left behind.
 */

import assert from "node:assert/strict";
import { join } from "node:path";

const ROOT = join(import.meta.dirname!, "..");

const BOOT = join(ROOT, "static", "build", "lib", "client", "boot.js");
const present = (path: string) => Deno.stat(path).then(() => true, () => false);

/** The bundle of each island. */
function islandFiles(): string[] {
  return [...Deno.readDirSync(join(ROOT, "islands"))]
    .filter((entry) => entry.name.endsWith(".tsx"))
    .map((entry) => join(ROOT, "static", "build", "islands", entry.name.replace(/\.tsx$/, ".js")));
}

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
  // What a Palot serving pages meanwhile would see: a file of the build missing, even briefly.
  const served = [BOOT, ...islandFiles()];
  const missing = new Set<string>();
  while (building) {
    for (const path of served) if (!await present(path)) missing.add(path);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  const results = await builds;
  assert.deepEqual([...missing], [], "files missing while the builds ran");
  for (const { success, stderr } of results) {
    assert.ok(success, new TextDecoder().decode(stderr));
  }
  for (const path of served) assert.ok(await present(path), path);
  const left = [...Deno.readDirSync(join(ROOT, "static"))]
    .map((entry) => entry.name)
    .filter((name) => name.startsWith("build."));
  assert.deepEqual(left, []);
});
