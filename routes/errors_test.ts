/** The error pages: a locked opencode.db says to reload in a moment, never a stack trace. */

import assert from "node:assert/strict";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { appOver } from "../testing/app_over.ts";

Deno.test("a database OpenCode keeps locked answers 503 with words, page and API alike", async () => {
  const dataDir = await Deno.makeTempDir({ prefix: "palot-locked-" });
  // A writer in exclusive locking mode keeps every reader out, even in WAL mode.
  const writer = new DatabaseSync(join(dataDir, "opencode.db"));
  writer.exec(`PRAGMA journal_mode = WAL; CREATE TABLE project (id TEXT);
    PRAGMA locking_mode = EXCLUSIVE; INSERT INTO project VALUES ('x');`);
  const errors: unknown[][] = [];
  const consoleError = console.error;
  console.error = (...args: unknown[]) => errors.push(args);
  try {
    using palot = appOver(dataDir, { status: "starting" });
    const page = await palot.fetch("/");
    assert.equal(page.status, 503);
    assert.equal(page.headers.get("retry-after"), "2");
    const html = await page.text();
    assert.match(html, /<h1>OpenCode(&#39;|')s storage is busy<\/h1>/);
    assert.match(html, /Reload the page in a moment/);
    assert.doesNotMatch(html, /database is locked|at .*\.ts:\d+/, "no error text or stack");
    const api = await palot.fetch("/api/palette");
    assert.equal(api.status, 503);
    assert.deepEqual(await api.json(), {
      error: "OpenCode's storage is busy; try again in a moment",
    });
    assert.match(String(errors[0]?.[0]), /^Error answering GET \/:/, "the log has the details");
  } finally {
    console.error = consoleError;
    writer.close();
    await Deno.remove(dataDir, { recursive: true });
  }
});
