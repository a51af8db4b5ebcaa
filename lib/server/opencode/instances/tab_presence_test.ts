import assert from "node:assert/strict";
import { TabPresence } from "./tab_presence.ts";

Deno.test("a tab's report replaces its last one; what it stops showing is handed over", () => {
  const left: string[] = [];
  const presence = new TabPresence({ onLeave: (directory) => left.push(directory) });
  presence.show("tab-1", ["/a", "/b"]);
  presence.show("tab-2", ["/b"]);
  assert.deepEqual([...presence.shown()].sort(), ["/a", "/b"]);
  presence.show("tab-1", ["/b"]);
  assert.deepEqual(left, ["/a"]);
  assert.deepEqual([...presence.shown()], ["/b"]);
  presence.show("tab-1", []);
  presence.show("tab-2", []);
  assert.deepEqual(left, ["/a", "/b", "/b"]);
  assert.equal(presence.shown().size, 0);
});

Deno.test("a report not renewed within its time stops counting, and its directories leave", () => {
  const left: string[] = [];
  const presence = new TabPresence({ ttlMs: 1_000, onLeave: (directory) => left.push(directory) });
  presence.show("tab-1", ["/a"]);
  assert.deepEqual([...presence.shown(Date.now() + 500)], ["/a"]);
  assert.deepEqual(left, []);
  assert.equal(presence.shown(Date.now() + 2_000).size, 0);
  assert.deepEqual(left, ["/a"]);
  assert.equal(presence.shown().size, 0, "dropped, not only hidden");
});

Deno.test("at most maxTabs tabs are remembered: the one that reported longest ago goes", () => {
  const left: string[] = [];
  const presence = new TabPresence({ maxTabs: 2, onLeave: (directory) => left.push(directory) });
  presence.show("tab-1", ["/a"]);
  presence.show("tab-2", ["/b"]);
  presence.show("tab-1", ["/a"]); // tab-1 reports again: tab-2 is now the oldest
  presence.show("tab-3", ["/c"]);
  assert.deepEqual([...presence.shown()].sort(), ["/a", "/c"]);
  assert.deepEqual(left, ["/b"]);
  for (let tab = 0; tab < 3_000; tab++) presence.show(`flood-${tab}`, ["/x"]);
  assert.deepEqual([...presence.shown()], ["/x"], "a flood of reports keeps only the last two");
});
