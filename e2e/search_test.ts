/**
 * Search and the command palette in a real browser, against the real opencode: the header's
 * `Search` field, results with highlighted snippets that open the session at the matching
 * message, input that looks like FTS syntax, and `Ctrl+K`.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { SqliteStore } from "../lib/server/discovery/sqlite_store.ts";
import { postToOpencode } from "../testing/palot.ts";
import { waitFor } from "../testing/world.ts";
import { assertAccessible } from "./axe.ts";
import { browserTest, islandReady, registerProject, startApp } from "./harness.ts";

browserTest(
  "search finds a message in any project and opens the session there; Ctrl+K jumps anywhere",
  async () => {
    await using app = await startApp({ projects: ["alpha", "beta"] });
    const api = (path: string, directory: string, body: unknown) =>
      postToOpencode(app.palot, path, directory, body);
    const alphaId = await registerProject(app, app.projects.alpha);
    const session = await api("/session", app.projects.beta, { title: "Aquarium planning" });
    app.llm.enqueue(
      {
        toolCalls: [{
          name: "bash",
          arguments: { command: "echo narwhal-output", description: "Say" },
        }],
      },
      { text: "The quokka <b>lives</b> in config/quokka.toml" },
    );
    await api(`/session/${session.id}/prompt_async`, app.projects.beta, {
      parts: [{ type: "text", text: "Where does the platypus live?" }],
    });
    const searchHtml = (query: string) =>
      app.palot.fetch(`/search?q=${encodeURIComponent(query)}`).then((response) => response.text());
    // The turn ends (in OpenCode's storage), then the reply is searchable without a restart.
    await waitFor(() => {
      const store = new SqliteStore(app.world.dataDir);
      try {
        return store.listMessages(session.id).some((message) =>
          message.parts.some((part) => part.type === "text" && part.text.includes("quokka"))
        );
      } finally {
        store.close();
      }
    }, { timeoutMs: 240_000, message: "the reply in opencode.db" });
    await waitFor(async () => (await searchHtml("quokka")).includes(session.id), {
      timeoutMs: 15_000,
      message: "the reply searchable",
    });
    const html = await searchHtml("quokka");
    assert.match(html, /<mark>quokka<\/mark>/);
    assert.ok(!html.includes("<b>lives</b>"), "model text in a snippet is escaped");
    assert.match(await searchHtml("narwhal"), /in tool output/);
    for (const query of ['"', '"*NEAR( OR', "a OR b)", "*", "NEAR(quokka"]) {
      const response = await app.palot.fetch(`/search?q=${encodeURIComponent(query)}`);
      assert.equal(response.status, 200, `query ${query}`);
      await response.body?.cancel();
    }
    // Every word must match; quotes, *, -, parentheses and OR are not syntax.
    for (const query of ['"(quokka*', "config/quokka.toml", "-quokka"]) {
      assert.match(await searchHtml(query), /Aquarium planning/, `"${query}" searched as words`);
    }
    assert.doesNotMatch(await searchHtml("quokka OR zebra"), /Aquarium planning/, "OR is a word");
    assert.match(await searchHtml(""), /Type words to search/);

    const page = await app.newPage();
    await page.goto(app.palot.url);
    const field = page.getByRole("search").getByRole("searchbox", { name: "Search" });
    await field.fill("platypus");
    await field.press("Enter");
    await page.waitForURL(/\/search\?q=platypus/);
    const result = page.getByRole("link", { name: "Aquarium planning" });
    assert.equal(await page.locator("mark").first().innerText(), "platypus");
    for (const colorScheme of ["light", "dark"] as const) {
      await page.emulateMedia({ colorScheme });
      await assertAccessible(page, `search results, ${colorScheme}`);
    }
    await result.click();
    await page.waitForURL(/\/session\/.*\?at=msg_/);
    const target = page.locator(".message:target");
    await target.waitFor();
    assert.match(await target.innerText(), /Where does the platypus live\?/);
    assert.ok(await target.isVisible());

    // The index file deleted: the next search rebuilds it and finds the session again.
    const indexPath = join(app.world.env.XDG_STATE_HOME, "palot", "search.db");
    await Deno.remove(indexPath);
    await waitFor(async () => (await searchHtml("platypus")).includes(session.id), {
      timeoutMs: 60_000,
      message: "the index rebuilt",
    });

    // The command palette: Ctrl+K, fuzzy, arrows and Enter; Escape closes it.
    await page.goto(app.palot.url);
    await page.getByRole("status").filter({ hasText: "Connected" }).waitFor({ timeout: 30_000 });
    await islandReady(page, "Palette");
    await page.keyboard.press("Control+k");
    const palette = page.getByRole("dialog", { name: "Command palette" });
    await palette.waitFor();
    const input = palette.getByRole("combobox");
    assert.equal(await input.evaluate((element) => element === document.activeElement), true);
    await input.fill("aqplan");
    const option = palette.getByRole("option", { name: /Aquarium planning/ });
    await option.waitFor();
    await palette.getByRole("option", { name: /Search messages for/ }).waitFor();
    for (const colorScheme of ["light", "dark"] as const) {
      await page.emulateMedia({ colorScheme });
      await assertAccessible(page, `command palette, ${colorScheme}`);
    }
    await page.keyboard.press("Escape");
    await palette.waitFor({ state: "hidden" });
    await page.keyboard.press("Control+k");
    await input.fill("alph");
    await palette.getByRole("option", { name: "alpha" }).first().waitFor();
    const options = await palette.getByRole("option").allInnerTexts();
    const index = options.findIndex((text) => text.startsWith("alpha"));
    assert.equal(index, 0, "the best match comes first: Enter opens it, not a search");
    assert.match(options[1], /^Search messages for/);
    for (let i = 0; i < index; i++) await page.keyboard.press("ArrowDown");
    assert.equal(
      await input.getAttribute("aria-activedescendant"),
      await palette.getByRole("option").nth(index).getAttribute("id"),
    );
    await page.keyboard.press("Enter");
    await page.waitForURL(new RegExp(`/project/${alphaId}$`));
  },
);
