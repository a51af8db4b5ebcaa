/** The layout's rules on small graphs: each import they forbid, and cycles of any length. */

import assert from "node:assert/strict";
import { importCycles, importsAgainstBoundary, type ModuleGraph, sideOf } from "./module_graph.ts";

const graphOf = (edges: Record<string, string[]>): ModuleGraph =>
  new Map(Object.entries(edges).map(([from, to]) => [from, new Set(to)]));

Deno.test("each path has its side", () => {
  assert.equal(sideOf("lib/common/values.ts"), "shared");
  assert.equal(sideOf("lib/client/live/store.ts"), "client");
  assert.equal(sideOf("lib/server/config.ts"), "server");
  assert.equal(sideOf("lib/ui/icons.tsx"), "stray");
  assert.equal(sideOf("islands/Chat.tsx"), "island");
  assert.equal(sideOf("islands/mod.ts"), "app");
  assert.equal(sideOf("routes/session.tsx"), "app");
  assert.equal(sideOf("app.ts"), "app");
  assert.equal(sideOf("npm:/preact@10.29.8/hooks"), "external");
  assert.equal(sideOf("node:sqlite"), "external");
});

Deno.test("the boundary allows what the layout allows", () => {
  const graph = graphOf({
    "lib/common/a.ts": ["lib/common/b.ts", "npm:diff@9.0.0"],
    "lib/client/a.ts": ["lib/client/b.ts", "lib/common/a.ts", "npm:preact@10.29.8"],
    "islands/Chat.tsx": ["lib/client/a.ts", "lib/common/a.ts"],
    "lib/server/a.ts": ["lib/server/b.ts", "lib/common/a.ts", "node:sqlite"],
    "islands/mod.ts": ["islands/Chat.tsx", "lib/server/a.ts"],
    "routes/a.tsx": ["islands/mod.ts", "lib/client/a.ts", "lib/server/a.ts", "routes/b.ts"],
    "app.ts": ["routes/a.tsx"],
  });
  assert.deepEqual(importsAgainstBoundary(graph), []);
});

Deno.test("the boundary refuses each import against it", () => {
  const graph = graphOf({
    "lib/common/a.ts": ["lib/client/a.ts", "lib/server/a.ts"],
    "lib/client/a.ts": ["lib/server/a.ts", "islands/Chat.tsx", "node:path"],
    "islands/Chat.tsx": ["lib/server/a.ts", "islands/Palette.tsx"],
    "lib/server/a.ts": ["lib/client/a.ts", "routes/a.tsx", "app.ts"],
    "lib/ui/a.ts": ["lib/common/a.ts"],
  });
  assert.deepEqual(importsAgainstBoundary(graph), [
    "islands/Chat.tsx -> islands/Palette.tsx",
    "islands/Chat.tsx -> lib/server/a.ts",
    "lib/client/a.ts -> islands/Chat.tsx",
    "lib/client/a.ts -> lib/server/a.ts",
    "lib/client/a.ts -> node:path",
    "lib/common/a.ts -> lib/client/a.ts",
    "lib/common/a.ts -> lib/server/a.ts",
    "lib/server/a.ts -> app.ts",
    "lib/server/a.ts -> lib/client/a.ts",
    "lib/server/a.ts -> routes/a.tsx",
    "lib/ui/a.ts -> lib/common/a.ts",
  ]);
});

Deno.test("cycles are found whatever their length; a tree is not one", () => {
  assert.deepEqual(
    importCycles(graphOf({
      "app.ts": ["routes/a.tsx", "lib/server/x.ts"],
      "routes/a.tsx": ["routes/views/b.tsx"],
      "routes/views/b.tsx": ["app.ts", "npm:preact@10.29.8"],
      "lib/server/x.ts": ["lib/server/y.ts"],
      "lib/server/y.ts": ["lib/server/x.ts"],
      "lib/server/self.ts": ["lib/server/self.ts"],
      "lib/common/leaf.ts": [],
    })),
    [
      ["app.ts", "routes/a.tsx", "routes/views/b.tsx"],
      ["lib/server/self.ts"],
      ["lib/server/x.ts", "lib/server/y.ts"],
    ],
  );
  assert.deepEqual(importCycles(graphOf({ "a.ts": ["b.ts"], "b.ts": [], "c.ts": ["b.ts"] })), []);
});
