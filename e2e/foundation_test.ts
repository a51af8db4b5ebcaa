/** The server-rendered pages in a real browser: with JavaScript, and readable without it. */

import assert from "node:assert/strict";
import { startApp } from "./harness.ts";

Deno.test({
  name: "home and project pages list everything, with and without JavaScript",
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async () => {
    await using app = await startApp({ projects: ["website", "api-server", "notes"] });
    for (
      const [name, titles] of Object.entries({
        website: ["Fix the header", "Add a footer"],
        "api-server": ["Rate limits"],
        notes: [],
      })
    ) {
      for (const title of titles) {
        const response = await app.palot.fetch(
          `/api/opencode/session?directory=${encodeURIComponent(app.projects[name])}`,
          {
            method: "POST",
            headers: { "content-type": "application/json" },
            body: JSON.stringify({ title }),
          },
        );
        assert.equal(response.status, 200);
        await response.body?.cancel();
      }
      if (titles.length === 0) {
        await (await app.palot.fetch(
          `/api/opencode/project/current?directory=${encodeURIComponent(app.projects[name])}`,
        )).body?.cancel();
      }
    }

    const page = await app.newPage();
    const errors: string[] = [];
    page.on("pageerror", (error) => errors.push(error.message));
    await page.goto(app.palot.url);
    await page.getByRole("status").filter({ hasText: "Connected" }).waitFor({ timeout: 30_000 });
    const main = page.getByRole("main");
    for (const name of ["website", "api-server", "notes"]) {
      await main.getByRole("link", { name }).waitFor();
    }
    assert.match(await main.innerText(), /2 sessions/);
    await app.screenshot(page, "home");
    await main.getByRole("link", { name: "website" }).click();
    await page.getByRole("heading", { name: "website" }).waitFor();
    await page.getByRole("link", { name: "Fix the header" }).first().waitFor();
    await app.screenshot(page, "project");
    assert.deepEqual(errors, []);

    const noScript = await app.newPage({ javaScript: false });
    await noScript.goto(app.palot.url);
    const text = await noScript.getByRole("main").innerText();
    for (const name of ["website", "api-server", "notes"]) assert.ok(text.includes(name), name);
    await noScript.getByRole("main").getByRole("link", { name: "api-server" }).click();
    await noScript.getByRole("link", { name: "Rate limits" }).first().click();
    await noScript.getByRole("heading", { name: "Rate limits" }).waitFor();
    assert.equal(await noScript.title(), "Rate limits · api-server · Palot");
  },
});
