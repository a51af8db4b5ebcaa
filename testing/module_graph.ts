/**
 * The rules of Palot's layout over a module graph (who imports whom, by path from the project
 * root), as `docs/architecture.md` states them: {@linkcode importsAgainstBoundary} lists each import
 * one side may not make, {@linkcode importCycles} each group of modules that import one another.
 * `architecture_test.ts` applies them to the real graph.
 */

/** Each module's imports: project paths (`lib/server/config.ts`) or bare specifiers (`npm:…`). */
export type ModuleGraph = Map<string, Set<string>>;

/** Where a module sits in the layout. */
export type Side = "shared" | "client" | "island" | "server" | "app" | "external" | "stray";

/** The side of a project path (or of a bare specifier: `external`). */
export function sideOf(path: string): Side {
  if (/^[a-z]+:/.test(path)) return "external";
  if (path.startsWith("lib/common/")) return "shared";
  if (path.startsWith("lib/client/")) return "client";
  if (path.startsWith("lib/server/")) return "server";
  if (path.startsWith("lib/")) return "stray";
  if (/^islands\/[^/]+\.tsx$/.test(path)) return "island";
  return "app";
}

/** What each side may import; the app (routes, islands' registry, entry points) may import all. */
const MAY_IMPORT: Record<Side, readonly Side[]> = {
  shared: ["shared", "external"],
  client: ["client", "shared", "external"],
  island: ["client", "shared", "external"],
  server: ["server", "shared", "external"],
  app: ["shared", "client", "island", "server", "app", "external"],
  external: [],
  stray: [],
};

/** Node's built-ins exist on the server only: code that runs in a browser must not import them. */
const SERVER_ONLY_EXTERNAL = /^node:/;

/** Every import against the rules, as `from -> to`, sorted. */
export function importsAgainstBoundary(graph: ModuleGraph): string[] {
  const wrong: string[] = [];
  for (const [from, imports] of graph) {
    const side = sideOf(from);
    if (side === "external") continue;
    for (const to of imports) {
      const target = sideOf(to);
      const allowed = MAY_IMPORT[side].includes(target) &&
        !(target === "external" && side !== "server" && side !== "app" &&
          SERVER_ONLY_EXTERNAL.test(to));
      if (!allowed) wrong.push(`${from} -> ${to}`);
    }
  }
  return wrong.sort();
}

/**
 * Every import cycle among the project's own modules (Tarjan's strongly connected components),
 * each as its modules sorted, a module that imports itself included.
 */
export function importCycles(graph: ModuleGraph): string[][] {
  const index = new Map<string, number>();
  const lowLink = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  let next = 0;
  const own = (path: string) => sideOf(path) !== "external";
  const visit = (module: string) => {
    index.set(module, next);
    lowLink.set(module, next);
    next++;
    stack.push(module);
    onStack.add(module);
    for (const to of graph.get(module) ?? []) {
      if (!own(to)) continue;
      if (!index.has(to)) {
        visit(to);
        lowLink.set(module, Math.min(lowLink.get(module)!, lowLink.get(to)!));
      } else if (onStack.has(to)) {
        lowLink.set(module, Math.min(lowLink.get(module)!, index.get(to)!));
      }
    }
    if (lowLink.get(module) !== index.get(module)) return;
    const component: string[] = [];
    let member: string;
    do {
      member = stack.pop()!;
      onStack.delete(member);
      component.push(member);
    } while (member !== module);
    if (component.length > 1 || graph.get(module)?.has(module)) cycles.push(component.sort());
  };
  for (const module of [...graph.keys()].sort()) if (!index.has(module)) visit(module);
  return cycles.sort((a, b) => a[0].localeCompare(b[0]));
}
