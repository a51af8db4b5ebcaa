import assert from "node:assert/strict";
import { join } from "node:path";
import { usesOnlySharedConfig } from "./project_config.ts";

Deno.test("a folder's own OpenCode config is found in it and above it, home's .opencode aside", async () => {
  const root = await Deno.makeTempDir({ prefix: "palot-project-config-" });
  try {
    const home = join(root, "home");
    const plain = join(home, "work", "plain");
    await Deno.mkdir(plain, { recursive: true });
    await Deno.mkdir(join(home, ".opencode")); // global: OpenCode reads it for every folder
    assert.equal(usesOnlySharedConfig(plain, { home }), true);
    assert.equal(usesOnlySharedConfig(join(home, "absent"), { home }), false, "not on disk");

    for (const [name, folder] of [["opencode.json", "file"], [".opencode", "folder"]] as const) {
      const project = join(home, `with-${folder}`);
      const nested = join(project, "packages", "app");
      await Deno.mkdir(nested, { recursive: true });
      if (folder === "file") await Deno.writeTextFile(join(project, name), "{}");
      else await Deno.mkdir(join(project, name));
      assert.equal(usesOnlySharedConfig(project, { home }), false, `${name} in the folder`);
      assert.equal(usesOnlySharedConfig(nested, { home }), false, `${name} above the folder`);
    }
    await Deno.writeTextFile(join(home, "work", "opencode.jsonc"), "{}");
    assert.equal(usesOnlySharedConfig(plain, { home }), false, "a config file further up counts");
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
