import assert from "node:assert/strict";
import { appOver, LEGACY_DATA_DIR as LEGACY } from "../../testing/app_over.ts";

Deno.test("/api/prompts lists a project's own prompts from storage; an unknown project has none", async () => {
  using palot = appOver(LEGACY);
  const known = await palot.fetch("/api/prompts/prj_app");
  assert.equal(known.status, 200);
  assert.equal(known.headers.get("cache-control"), "no-store");
  assert.deepEqual(await known.json(), { prompts: ["Please fix the build"] });
  const unknown = await palot.fetch("/api/prompts/prj_nothing");
  assert.deepEqual(await unknown.json(), { prompts: [] });
});
