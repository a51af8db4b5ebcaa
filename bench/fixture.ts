/**
 * The benchmark fixture: an OpenCode data dir with many projects and sessions, written by the
 * real opencode through its HTTP API (git projects with a commit, sessions created round-robin),
 * cached in the system temp dir between runs. Rebuild from scratch by deleting the folder it
 * prints, or run `deno run -A bench/fixture.ts --projects 200 --sessions 10000`.
 */

import { join } from "node:path";
import { parseArgs } from "node:util";
import { OpencodeWorld } from "../testing/world.ts";

export interface FixtureOptions {
  projects: number;
  sessions: number;
}

export interface Fixture {
  /** The persistent world (HOME, XDG dirs, projects), kept on dispose. */
  world: OpencodeWorld;
  /** Root of the persistent world. */
  root: string;
  /** OpenCode's data dir holding `opencode.db`. */
  dataDir: string;
  env: Record<string, string>;
}

const VERSION = 1;

/**
 * Returns the cached fixture for these sizes, building it first when missing.
 *
 * @example
 * ```ts
 * const { dataDir } = await ensureFixture({ projects: 200, sessions: 10_000 });
 * ```
 */
export async function ensureFixture(options: FixtureOptions): Promise<Fixture> {
  const tmp = Deno.env.get("TMPDIR") ?? "/tmp";
  const root = join(tmp, `palot-bench-v${VERSION}-${options.projects}p-${options.sessions}s`);
  const marker = join(root, "complete.json");
  const world = await OpencodeWorld.open(root);
  if (await exists(marker)) return { world, root, dataDir: world.dataDir, env: world.env };
  await Deno.remove(root, { recursive: true }).catch(() => {});
  const fresh = await OpencodeWorld.open(root);
  const started = Date.now();
  console.error(`Building the benchmark fixture in ${root} …`);
  const directories: string[] = [];
  for (let i = 0; i < options.projects; i++) {
    directories.push(await fresh.makeProject(`project-${String(i).padStart(4, "0")}`));
  }
  const opencode = await fresh.startOpencode();
  try {
    let next = 0;
    const worker = async () => {
      while (next < options.sessions) {
        const index = next++;
        const directory = directories[index % directories.length];
        const response = await opencode.fetch(
          `/session?directory=${encodeURIComponent(directory)}`,
          {
            method: "POST",
            headers: { "content-type": "application/json" },
            body: JSON.stringify({ title: `Benchmark session ${index}` }),
          },
        );
        if (!response.ok) throw new Error(`Cannot create session ${index}: ${response.status}`);
        await response.body?.cancel();
        if (index % 1000 === 999) console.error(`  ${index + 1} sessions`);
      }
    };
    await Promise.all(Array.from({ length: 6 }, worker));
  } finally {
    await opencode.stop();
  }
  await Deno.writeTextFile(marker, JSON.stringify({ ...options, builtIn: Date.now() - started }));
  console.error(`Fixture built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return { world: fresh, root, dataDir: fresh.dataDir, env: fresh.env };
}

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch {
    return false;
  }
}

if (import.meta.main) {
  const { values } = parseArgs({
    args: Deno.args,
    options: { projects: { type: "string" }, sessions: { type: "string" } },
  });
  const fixture = await ensureFixture({
    projects: Number(values.projects ?? 200),
    sessions: Number(values.sessions ?? 10_000),
  });
  console.log(fixture.dataDir);
}
