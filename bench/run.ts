/**
 * `deno task bench`: Palot's figures on a fixture written by the real opencode (see
 * `fixture.ts`), printed as one table with their budgets and written to `docs/benchmarks.md`.
 * `--smoke` uses a small fixture, few runs and no budgets, so CI can keep the benchmarks from
 * rotting without timing anything.
 */

import { join } from "node:path";
import { parseArgs } from "node:util";
import { createApp } from "../lib/app.ts";
import type { Config } from "../lib/config.ts";
import { openDiscovery } from "../lib/discovery/mod.ts";
import type { OpencodeSnapshot } from "../lib/opencode/supervisor.ts";
import { ensureFixture } from "./fixture.ts";

export interface Figure {
  name: string;
  value: number;
  unit: string;
  /** Inclusive upper bound; `undefined` when the figure has no budget. */
  budget?: number;
}

const { values } = parseArgs({
  args: Deno.args,
  options: { smoke: { type: "boolean" }, runs: { type: "string" } },
});
const smoke = values.smoke ?? false;
const runs = Number(values.runs ?? (smoke ? 5 : 50));
const fixture = await ensureFixture(
  smoke ? { projects: 5, sessions: 60 } : { projects: 200, sessions: 10_000 },
);

/** Median of `runs` timings of `task`, after a few warm-up runs. */
async function median(task: () => Promise<unknown>): Promise<number> {
  for (let i = 0; i < Math.min(5, runs); i++) await task();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await task();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

const figures: Figure[] = [];
const discovery = openDiscovery(fixture.dataDir);
try {
  const snapshot: OpencodeSnapshot = {
    status: "ready",
    version: null,
    pid: null,
    port: null,
    restarts: 0,
    lastError: null,
    binarySource: null,
  };
  const config: Config = {
    hostname: "127.0.0.1",
    port: 3100,
    opencodePort: 4101,
    dataDir: fixture.dataDir,
    stateDir: join(fixture.root, "state", "palot"),
    keepOpencode: false,
  };
  const app = createApp({
    config,
    supervisor: { endpoint: () => undefined, snapshot: () => snapshot },
    discovery,
  });
  const get = async (path: string) => {
    const response = await app.fetch(
      new Request(`http://127.0.0.1:3100${path}`, { headers: { host: "127.0.0.1:3100" } }),
    );
    if (response.status !== 200) throw new Error(`GET ${path} answered ${response.status}`);
    await response.text();
  };
  const projects = discovery.listProjects();
  const busiest = projects.reduce((a, b) => (b.sessionCount > a.sessionCount ? b : a));
  figures.push({
    name: `server time \`/\` (${projects.length} projects)`,
    value: await median(() => get("/")),
    unit: "ms",
    budget: 30,
  });
  figures.push({
    name: `server time project page (${busiest.sessionCount} sessions)`,
    value: await median(() => get(`/project/${encodeURIComponent(busiest.id)}`)),
    unit: "ms",
    budget: 15,
  });
} finally {
  discovery.close();
}

const rows = figures.map((figure) => {
  const within = figure.budget === undefined || figure.value <= figure.budget;
  const budget = figure.budget === undefined ? "" : `≤ ${figure.budget} ${figure.unit}`;
  return `| ${figure.name} | ${figure.value.toFixed(2)} ${figure.unit} | ${budget} | ${
    smoke ? "smoke" : within ? "within" : "OVER"
  } |`;
});
const table = [
  "| figure | median | budget | verdict |",
  "|---|---|---|---|",
  ...rows,
].join("\n");
console.log(table);
if (!smoke) {
  const header =
    `# Benchmarks\n\nMeasured by \`deno task bench\` on ${
      new Date().toISOString().slice(0, 10)
    }, ` +
    `${navigator.hardwareConcurrency} cores, Deno ${Deno.version.deno}; medians of ${runs} runs ` +
    `after warm-up, on a fixture of 200 projects and 10,000 sessions written by the real opencode ` +
    `(\`bench/fixture.ts\`).\n\n`;
  await Deno.mkdir(join(import.meta.dirname!, "..", "docs"), { recursive: true });
  await Deno.writeTextFile(
    join(import.meta.dirname!, "..", "docs", "benchmarks.md"),
    header + table + "\n",
  );
  const over = figures.filter((figure) =>
    figure.budget !== undefined && figure.value > figure.budget
  );
  if (over.length) {
    console.error(`Over budget: ${over.map((figure) => figure.name).join(", ")}`);
    Deno.exitCode = 1;
  }
}
