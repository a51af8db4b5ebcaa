import assert from "node:assert/strict";
import { join } from "node:path";
import { ConfigWatch, opencodeConfigFiles } from "./config_watch.ts";

Deno.test("ConfigWatch: a file written, added or removed is a change; a file first seen is not", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const global = join(dir, "opencode.json");
    const project = join(dir, "project", "opencode.json");
    await Deno.writeTextFile(global, "{}");
    let files = [global];
    const changes: string[][] = [];
    const watch = new ConfigWatch({ files: () => files, onChange: (paths) => changes.push(paths) });
    assert.deepEqual(await watch.look(), []);
    await Deno.writeTextFile(global, '{"model":"x/y"}');
    assert.deepEqual(await watch.look(), [global]);
    files = [global, project];
    assert.deepEqual(await watch.look(), [], "a project that just became live is only taken");
    await Deno.mkdir(join(dir, "project"));
    await Deno.writeTextFile(project, "{}");
    assert.deepEqual(await watch.look(), [project], "added");
    await Deno.remove(global);
    assert.deepEqual(await watch.look(), [global], "removed");
    assert.deepEqual(changes, [[global], [project], [global]]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("opencodeConfigFiles: the global files, OPENCODE_CONFIG, then each project's", () => {
  const env = (name: string) =>
    ({ HOME: "/h", OPENCODE_CONFIG: "/etc/oc.json" } as Record<string, string>)[name];
  assert.deepEqual(opencodeConfigFiles(env, ["/p"]), [
    "/h/.config/opencode/opencode.json",
    "/h/.config/opencode/opencode.jsonc",
    "/h/.config/opencode/config.json",
    "/etc/oc.json",
    "/p/opencode.json",
    "/p/opencode.jsonc",
  ]);
});
