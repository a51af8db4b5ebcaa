import assert from "node:assert/strict";
import { pageOf, pageParam } from "./paging.ts";

Deno.test("pageOf: a page's slice, the count of pages and whether more follow", () => {
  const items = Array.from({ length: 105 }, (_, i) => i);
  assert.deepEqual(pageOf(items, 1, 50).items, items.slice(0, 50));
  assert.equal(pageOf(items, 1, 50).hasMore, true);
  const last = pageOf(items, 3, 50);
  assert.deepEqual(last.items, [100, 101, 102, 103, 104]);
  assert.equal(last.pages, 3);
  assert.equal(last.total, 105);
  assert.equal(last.hasMore, false);
});

Deno.test("pageOf: a page past the end is the last one; an empty list has one empty page", () => {
  assert.equal(pageOf([1, 2, 3], 9, 2).page, 2);
  assert.deepEqual(pageOf([1, 2, 3], 9, 2).items, [3]);
  assert.deepEqual(pageOf([], 1, 50), { items: [], page: 1, pages: 1, total: 0, hasMore: false });
  assert.equal(pageOf([1, 2, 3], 0, 2).page, 1);
});

Deno.test("pageParam: a positive integer, anything else 1", () => {
  assert.equal(pageParam("4"), 4);
  for (const bad of [undefined, "", "0", "-2", "1.5", "x", "1e9"]) assert.equal(pageParam(bad), 1);
});
