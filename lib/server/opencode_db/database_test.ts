import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { join } from "node:path";
import { openSourceDatabase } from "./database.ts";

Deno.test("opencode.db counts once its tables exist; a pre-1.2 data folder is legacy", async () => {
  const dataDir = await Deno.makeTempDir({ prefix: "palot-source-" });
  try {
    assert.equal(openSourceDatabase(dataDir), undefined, "nothing there yet");
    const writer = new DatabaseSync(join(dataDir, "opencode.db"));
    assert.equal(openSourceDatabase(dataDir), undefined, "the file without its tables");
    writer.exec("CREATE TABLE part (id TEXT); CREATE TABLE session (id TEXT)");
    const source = openSourceDatabase(dataDir);
    assert.ok(source instanceof DatabaseSync);
    source.close();
    writer.close();

    const legacy = await Deno.makeTempDir({ prefix: "palot-source-legacy-" });
    await Deno.mkdir(join(legacy, "storage"));
    assert.equal(openSourceDatabase(legacy), "legacy");
    await Deno.remove(legacy, { recursive: true });
  } finally {
    await Deno.remove(dataDir, { recursive: true });
  }
});
