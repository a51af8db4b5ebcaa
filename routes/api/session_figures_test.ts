import assert from "node:assert/strict";
import { appOver, LEGACY_DATA_DIR as LEGACY } from "../../testing/app_over.ts";

Deno.test("/api/session-figures answers known sessions' figures, at most 50 at once", async () => {
  using palot = appOver(LEGACY);
  const answer = await palot.fetch("/api/session-figures?id=ses_legacy_fix&id=ses_nothing");
  assert.equal(answer.status, 200);
  assert.equal(answer.headers.get("cache-control"), "no-store");
  assert.deepEqual(await answer.json(), {
    ses_legacy_fix: { files: 0, additions: 0, deletions: 0 },
  });
  const many = new URLSearchParams(Array.from({ length: 51 }, (_, i) => ["id", `ses_${i}`]));
  const refused = await palot.fetch(`/api/session-figures?${many}`);
  assert.equal(refused.status, 400);
  await refused.body?.cancel();
});
