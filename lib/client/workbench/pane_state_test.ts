import assert from "node:assert/strict";
import { PANE_STORAGE_KEY, readPaneSettings } from "./pane_layout.ts";
import { relativePath } from "./pane_state.ts";

Deno.test("a file name from a tool card is made relative to the project", () => {
  assert.equal(relativePath("/work/app", "/work/app/src/main.ts"), "src/main.ts");
  assert.equal(relativePath("/work/app/", "/work/app/a.ts"), "a.ts");
  assert.equal(relativePath("/work/app", "./b.ts"), "b.ts");
  assert.equal(relativePath("/work/app", "/elsewhere/c.ts"), "/elsewhere/c.ts");
  assert.equal(relativePath("/work/app", "/work/apple/d.ts"), "/work/apple/d.ts");
});

Deno.test("the pane's stored settings are read back, and nonsense is not", () => {
  const stored = localStorage.getItem(PANE_STORAGE_KEY);
  try {
    localStorage.setItem(
      PANE_STORAGE_KEY,
      JSON.stringify({ open: true, tab: "files", width: 600 }),
    );
    assert.deepEqual(readPaneSettings(), { open: true, tab: "files", width: 600 });
    localStorage.setItem(PANE_STORAGE_KEY, JSON.stringify({ open: "yes", tab: "x", width: 5 }));
    assert.deepEqual(readPaneSettings(), { open: false, tab: "changes", width: 320 });
    localStorage.setItem(PANE_STORAGE_KEY, "{not json");
    assert.deepEqual(readPaneSettings(), { open: false, tab: "changes", width: 480 });
  } finally {
    if (stored === null) localStorage.removeItem(PANE_STORAGE_KEY);
    else localStorage.setItem(PANE_STORAGE_KEY, stored);
  }
});
