/**
 * Search figures: building Palot's full-text index from the fixture's `opencode.db` (time, size),
 * the `/search` page's server time for a query matching every session's title and for one
 * matching many messages of the long session, and, with a real Palot and its opencode, how long a
 * new message takes to become searchable.
 */

import { join } from "node:path";
import { SearchIndexer } from "../lib/server/search/indexer.ts";
import { appOver } from "../testing/app_over.ts";
import { startPalot } from "../testing/palot.ts";
import { OpencodeWorld, waitFor } from "../testing/world.ts";
import type { Fixture } from "./fixture.ts";
import type { Figure } from "./run.ts";

export interface SearchFigureOptions {
  /** Median of `runs` timings of a task (the caller's, with its warm-up). */
  medianTime: (task: () => Promise<unknown>) => Promise<number>;
  /** Also measure a new message with a real Palot and opencode. */
  live: boolean;
}

/** The search figures for `fixture`. */
export async function searchFigures(
  fixture: Fixture,
  { medianTime, live }: SearchFigureOptions,
): Promise<Figure[]> {
  const figures: Figure[] = [];
  const dir = await Deno.makeTempDir({ prefix: "palot-bench-search-" });
  try {
    const indexer = new SearchIndexer({
      dataDir: fixture.dataDir,
      indexPath: join(dir, "search.db"),
    });
    const started = performance.now();
    indexer.start();
    await indexer.idle();
    const buildMs = performance.now() - started;
    const { entries, bytes } = indexer.stats();
    figures.push(
      {
        name: `search index: first build (${entries.toLocaleString("en")} texts)`,
        value: buildMs,
        unit: "ms",
      },
      { name: "search index: size on disk", value: bytes / 1024 / 1024, unit: "MB" },
    );
    {
      using palot = appOver(fixture.dataDir, { search: indexer });
      const sessionCount = palot.discovery.listProjects()
        .reduce((sum, project) => sum + project.sessionCount, 0);
      for (
        const [query, what] of [
          ["benchmark", `a word of ${sessionCount.toLocaleString("en")} session titles`],
          ["plan", "a word of many messages of one session"],
        ]
      ) {
        const path = `/search?q=${query}`;
        figures.push({
          name: `server time \`${path}\` (${what})`,
          value: await medianTime(async () => {
            const response = await palot.fetch(path);
            if (response.status !== 200) throw new Error(`GET ${path} answered ${response.status}`);
            await response.text();
          }),
          unit: "ms",
          budget: 50,
        });
      }
    }
    await indexer.stop();
    if (live) figures.push(await newMessageSearchable(fixture));
  } finally {
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
  return figures;
}

/**
 * A real Palot on the fixture (its own index, built first): a user message with a word nobody
 * wrote before is posted through the proxy, and `/search` is asked every 50 ms until it lists the
 * session. The time runs from the post to that answer.
 */
async function newMessageSearchable(fixture: Fixture): Promise<Figure> {
  const world = await OpencodeWorld.open(fixture.root);
  const palot = await startPalot(world, { args: ["--data-dir", world.dataDir] });
  try {
    await waitFor(async () => {
      const status = await (await palot.fetch("/api/opencode")).json();
      return status.status === "ready";
    }, { timeoutMs: 60_000, message: "OpenCode ready" });
    await waitFor(
      async () =>
        !(await (await palot.fetch("/search?q=benchmark")).text()).includes("Still indexing"),
      { timeoutMs: 300_000, message: "the search index built" },
    );
    const directory = join(fixture.root, "projects", "project-0000");
    const post = (path: string, body: unknown) =>
      palot.fetch(`/api/opencode${path}?directory=${encodeURIComponent(directory)}`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      });
    const session = await (await post("/session", { title: "Searchable soon" })).json();
    const word = `zq${crypto.randomUUID().replaceAll("-", "").slice(0, 10)}`;
    const started = performance.now();
    const posted = await post(`/session/${session.id}/prompt_async`, {
      noReply: true,
      parts: [{ type: "text", text: `Remember the word ${word}` }],
    });
    await posted.body?.cancel();
    await waitFor(
      async () => (await (await palot.fetch(`/search?q=${word}`)).text()).includes(session.id),
      { timeoutMs: 30_000, message: "the new message searchable" },
    );
    const value = performance.now() - started;
    await palot.fetch(
      `/api/opencode/session/${session.id}?directory=${encodeURIComponent(directory)}`,
      {
        method: "DELETE",
      },
    ).then((response) => response.body?.cancel());
    return {
      name: "a new message → searchable (real Palot and opencode)",
      value,
      unit: "ms",
      budget: 2_000,
    };
  } finally {
    await palot.stop();
  }
}
