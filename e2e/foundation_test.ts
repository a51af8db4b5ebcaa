import assert from "node:assert/strict";
import { startApp } from "./harness.ts";

Deno.test({
  name: "the home page shows the connection state and hydrates its island",
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async () => {
    await using app = await startApp();
    const page = await app.newPage();
    const errors: string[] = [];
    page.on("pageerror", (error) => errors.push(error.message));
    await page.goto(app.palot.url);
    const status = page.getByRole("status");
    await status.filter({ hasText: "Connected" }).waitFor({ timeout: 60_000 });
    assert.deepEqual(errors, []);
  },
});
