/**
 * The layout `docs/architecture.md` draws, checked on the real module graph (`deno info --json`
 * over every source file): browser code (`lib/client/`, the islands) never imports server code,
 * shared code (`lib/common/`) imports neither, nothing in `lib/` imports the app assembled above
 * it (`app.ts`, `main.ts`, `routes/`, `islands/`), and no module imports itself through others.
 */

import assert from "node:assert/strict";
import { join, relative } from "node:path";
import { importCycles, importsAgainstBoundary, type ModuleGraph } from "./testing/module_graph.ts";

const ROOT = import.meta.dirname!;
const SOURCE_FOLDERS = ["lib", "routes", "islands"];
const TOP_LEVEL = ["app.ts", "main.ts", "dev.ts", "build.ts"];

/** Every production source file: tests, test data and the harness are not part of the app. */
function sourceFiles(): string[] {
  const found = [...TOP_LEVEL];
  const walk = (folder: string) => {
    for (const entry of Deno.readDirSync(join(ROOT, folder))) {
      const path = `${folder}/${entry.name}`;
      if (entry.isDirectory && entry.name !== "testdata") walk(path);
      else if (/\.tsx?$/.test(entry.name) && !/_test\.tsx?$/.test(entry.name)) found.push(path);
    }
  };
  SOURCE_FOLDERS.forEach(walk);
  return found.sort();
}

/** The imports between the project's own modules, by path from the project root. */
async function moduleGraph(files: string[]): Promise<ModuleGraph> {
  const dir = await Deno.makeTempDir({ prefix: "palot-graph-" });
  try {
    const entry = join(dir, "all.ts");
    const lines = files.map((file) => `import "${new URL(`file://${join(ROOT, file)}`).href}";`);
    await Deno.writeTextFile(entry, lines.join("\n"));
    const { stdout, success, stderr } = await new Deno.Command(Deno.execPath(), {
      args: ["info", "--json", "--config", join(ROOT, "deno.json"), entry],
      cwd: ROOT,
      stdout: "piped",
      stderr: "piped",
    }).output();
    assert.ok(success, new TextDecoder().decode(stderr));
    const info = JSON.parse(new TextDecoder().decode(stdout)) as {
      modules: {
        specifier: string;
        dependencies?: { code?: Dep; type?: Dep; specifier: string }[];
      }[];
    };
    type Dep = { specifier: string };
    const own = (specifier: string) =>
      specifier.startsWith("file://") && !specifier.startsWith(`file://${dir}`)
        ? relative(ROOT, new URL(specifier).pathname)
        : undefined;
    const graph: ModuleGraph = new Map();
    for (const module of info.modules) {
      const from = own(module.specifier);
      if (!from) continue;
      const imports = new Set<string>();
      for (const dependency of module.dependencies ?? []) {
        for (const resolved of [dependency.code, dependency.type]) {
          const to = resolved && own(resolved.specifier);
          if (to) imports.add(to);
          else if (resolved && !resolved.specifier.startsWith("file://")) {
            imports.add(resolved.specifier);
          }
        }
      }
      graph.set(from, imports);
    }
    return graph;
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

const graph = await moduleGraph(sourceFiles());

Deno.test("the module graph holds every source file", () => {
  for (const file of sourceFiles()) assert.ok(graph.has(file), file);
});

Deno.test("no import runs against the boundary between server, browser and shared code", () => {
  assert.deepEqual(importsAgainstBoundary(graph), []);
});

Deno.test("no module imports itself through others", () => {
  assert.deepEqual(importCycles(graph), []);
});
