/**
 * The benchmark fixture: an OpenCode data dir with many projects and sessions, written by the
 * real opencode through its HTTP API (git projects with a commit, sessions created round-robin),
 * cached in the system temp dir between runs. Rebuild from scratch by deleting the folder it
 * prints, or run `deno run -A bench/fixture.ts --projects 200 --sessions 10000`.
 *
 * The XL fixture (1,000 projects, 500,000 sessions) is made from this one's rows, not by opencode:
 * `xl_fixture.ts` copies them with `node:sqlite`, with new ids and folders, into a data folder of
 * its own (`deno run -A bench/xl_build.ts` builds it alone).
 */

import { join } from "node:path";
import { parseArgs } from "node:util";
import { FakeLlm } from "../testing/fake_llm.ts";
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

/**
 * A session of `messages` messages (half prompts, half Markdown replies) in the project
 * `long-session` of the fixture, written through the real opencode with the scripted fake LLM.
 * Returns its id; cached beside the fixture.
 */
export async function ensureLongSession(fixture: Fixture, messages = 1_000): Promise<string> {
  const marker = join(fixture.root, `long-session-${messages}.json`);
  try {
    return JSON.parse(await Deno.readTextFile(marker)).sessionId;
  } catch { /* not built yet */ }
  console.error(`Writing a ${messages}-message session into the fixture …`);
  const started = Date.now();
  await using llm = await FakeLlm.start();
  const world = await OpencodeWorld.open(fixture.root, { llm });
  const directory = join(fixture.root, "projects", "long-session");
  if (!(await exists(directory))) await world.makeProject("long-session");
  await using opencode = await world.startOpencode();
  const client = opencode.client(directory);
  const session =
    (await client.session.create({ title: "A long session" }, { throwOnError: true })).data;
  for (let i = 0; i < messages / 2; i++) {
    llm.enqueue({
      text:
        `Reply ${i}: here is **a plan**.\n\n1. Read \`main.ts\`\n2. Write a test\n\n\`\`\`ts\nconst step = ${i};\n\`\`\`\n`,
    });
    await client.session.prompt({
      sessionID: session.id,
      parts: [{ type: "text", text: `Question ${i}` }],
    }, {
      throwOnError: true,
    });
  }
  await Deno.writeTextFile(marker, JSON.stringify({ sessionId: session.id }));
  console.error(`Session written in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return session.id;
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
