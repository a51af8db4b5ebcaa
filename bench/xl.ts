/**
 * Figures at XL scale (`xl_fixture.ts`: 1,000 projects, 500,000+ sessions, one project of
 * 20,000): the home page's server time and size, the project page of the big project, the
 * palette's answers, the search index's first build (in a process of its own: time and RSS) and
 * searches over it. The budgets: `/` ≤ 15 ms and ≤ 100 KB, the project page ≤ 15 ms, the
 * palette and every search ≤ 50 ms, the build's RSS ≤ 200 MB.
 */

import { join } from "node:path";
import { SearchIndexer } from "../lib/server/search/indexer.ts";
import { appOver } from "../testing/app_over.ts";
import type { XlFixture } from "./xl_fixture.ts";
import type { Figure } from "./run.ts";
import { median } from "./figures.ts";

export interface XlFigureOptions {
  medianTime: (task: () => Promise<unknown>) => Promise<number>;
}

/** The XL figures for `xl`. */
export async function xlFigures(xl: XlFixture, { medianTime }: XlFigureOptions): Promise<Figure[]> {
  const figures: Figure[] = [];
  const scale = `${xl.projects.toLocaleString("en")} projects, ${
    xl.sessions.toLocaleString("en")
  } sessions`;
  const dir = await Deno.makeTempDir({ prefix: "palot-bench-xl-" });
  try {
    const indexPath = join(dir, "search.db");
    const build = new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", join(import.meta.dirname!, "xl_index_build.ts"), xl.dataDir, indexPath],
      stdout: "piped",
      stderr: "inherit",
    });
    const output = await build.output();
    if (!output.success) throw new Error("The XL index build failed (see above)");
    const built = JSON.parse(new TextDecoder().decode(output.stdout));
    figures.push(
      {
        name: `XL (${scale}): search index first build (${
          built.entries.toLocaleString("en")
        } texts)`,
        value: built.buildMs,
        unit: "ms",
      },
      {
        name: "XL: RSS at most while the index builds (the indexer in a process of its own)",
        value: built.peakRssMb,
        unit: "MB",
        budget: 200,
      },
    );
    figures.push(...await duringBuild(xl, join(dir, "building.db")));
    const indexer = new SearchIndexer({ dataDir: xl.dataDir, indexPath });
    indexer.start();
    await indexer.idle();
    try {
      using palot = appOver(xl.dataDir, { search: indexer });
      const fetchText = async (path: string) => {
        const response = await palot.fetch(path);
        if (response.status !== 200) throw new Error(`GET ${path} answered ${response.status}`);
        return await response.text();
      };
      figures.push({
        name: `XL: server time \`/\` (${palot.discovery.listProjects().length} projects)`,
        value: await medianTime(() => fetchText("/")),
        unit: "ms",
        budget: 15,
      });
      figures.push({
        name: "XL: `/` HTML",
        value: new TextEncoder().encode(await fetchText("/")).length / 1024,
        unit: "KB",
        budget: 100,
      });
      const big = palot.discovery.getProject(xl.bigProjectId)!;
      const projectPath = `/project/${encodeURIComponent(big.id)}`;
      figures.push({
        name: `XL: server time project page (${big.sessionCount.toLocaleString("en")} sessions)`,
        value: await medianTime(() => fetchText(projectPath)),
        unit: "ms",
        budget: 15,
      });
      figures.push({
        name: "XL: server time project page, its last page",
        value: await medianTime(() =>
          fetchText(`${projectPath}?page=${Math.ceil(big.sessionCount / 50)}`)
        ),
        unit: "ms",
        budget: 15,
      });
      for (const query of ["", "project-07", "copy 3", "bench"]) {
        const path = `/api/palette?q=${encodeURIComponent(query)}`;
        figures.push({
          name: `XL: server time \`/api/palette?q=${query}\``,
          value: await medianTime(() => fetchText(path)),
          unit: "ms",
          budget: 50,
        });
      }
      for (const query of ["benchmark", "bench", "copy 3.7", "plan"]) {
        const path = `/search?q=${encodeURIComponent(query)}`;
        figures.push({
          name: `XL: server time \`/search?q=${query}\``,
          value: await medianTime(() => fetchText(path)),
          unit: "ms",
          budget: 50,
        });
      }
    } finally {
      await indexer.stop();
    }
  } finally {
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
  return figures;
}

/**
 * `/` and a search served while a first build runs in the same process (as in Palot): 30 of
 * each, 100 ms apart, the build's batches sharing the thread. The search must answer from what
 * is indexed so far and say the index is still building.
 */
async function duringBuild(xl: XlFixture, indexPath: string): Promise<Figure[]> {
  const indexer = new SearchIndexer({ dataDir: xl.dataDir, indexPath });
  indexer.start();
  try {
    using palot = appOver(xl.dataDir, { search: indexer });
    const timed = async (path: string) => {
      const started = performance.now();
      const html = await (await palot.fetch(path)).text();
      return { ms: performance.now() - started, html };
    };
    await timed("/"); // the project list read once, as before the other figures
    while (indexer.progress.state === "waiting") await new Promise((r) => setTimeout(r, 10));
    const home: number[] = [];
    const search: number[] = [];
    let noted = 0;
    let building = 0;
    for (let i = 0; i < 30 && indexer.progress.state === "building"; i++) {
      home.push((await timed("/")).ms);
      const found = await timed("/search?q=benchmark");
      search.push(found.ms);
      if (indexer.progress.state === "building") building++;
      if (found.html.includes("Still indexing")) noted++;
      await new Promise((r) => setTimeout(r, 100));
    }
    if (building > 0 && noted === 0) {
      throw new Error("/search did not say the index is still building");
    }
    if (home.length === 0) return []; // built before the first sample (a small fixture)
    const longest = (values: number[]) => Math.max(...values);
    return [
      {
        name: `XL: server time \`/\` while the index is first built (median of ${home.length})`,
        value: median([...home].sort((a, b) => a - b)),
        unit: "ms",
      },
      {
        name: `XL: server time \`/\` while the index is first built (longest of ${home.length})`,
        value: longest(home),
        unit: "ms",
      },
      {
        name:
          `XL: server time \`/search?q=benchmark\` while the index is first built (longest of ${search.length}; answers so far, "Still indexing")`,
        value: longest(search),
        unit: "ms",
      },
    ];
  } finally {
    await indexer.stop();
  }
}

if (import.meta.main) {
  // `deno run -A bench/xl.ts [--smoke] [--runs N]`: only these figures and the browser's
  // (`xl_browser.ts`; `deno task bench` runs them with the rest).
  const { parseArgs } = await import("node:util");
  const { ensureFixture } = await import("./fixture.ts");
  const { ensureXlFixture, xlSizes } = await import("./xl_fixture.ts");
  const { values } = parseArgs({
    args: Deno.args,
    options: { smoke: { type: "boolean" }, runs: { type: "string" } },
  });
  const smoke = values.smoke ?? false;
  const runs = Number(values.runs ?? (smoke ? 5 : 15));
  const base = await ensureFixture(
    smoke ? { projects: 5, sessions: 60 } : { projects: 200, sessions: 10_000 },
  );
  const xl = await ensureXlFixture(base, xlSizes(smoke));
  const medianTime = async (task: () => Promise<unknown>) => {
    for (let i = 0; i < Math.min(3, runs); i++) await task();
    const times: number[] = [];
    for (let i = 0; i < runs; i++) {
      const start = performance.now();
      await task();
      times.push(performance.now() - start);
    }
    return median(times.sort((a, b) => a - b));
  };
  const { xlBrowserFigures } = await import("./xl_browser.ts");
  const figures = [
    ...await xlFigures(xl, { medianTime }),
    ...await xlBrowserFigures(xl, base, { runs: smoke ? 1 : 5 }),
  ];
  for (const figure of figures) {
    const budget = figure.budget === undefined ? "" : `≤ ${figure.budget} ${figure.unit}`;
    console.log(`| ${figure.name} | ${figure.value.toFixed(2)} ${figure.unit} | ${budget} |`);
  }
}
