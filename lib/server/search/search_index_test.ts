/** Palot's own search index: ranking, query safety, and recovery from a bad file. */

import assert from "node:assert/strict";
import { join } from "node:path";
import { type IndexDoc, SearchIndex } from "./search_index.ts";
import { completedFtsQuery, lastWord, splitSnippet, toFtsQuery } from "./query.ts";

const doc = (
  key: string,
  sessionID: string,
  kind: IndexDoc["kind"],
  time: number,
  text: string,
) => ({
  key,
  sessionID,
  messageID: kind === "title" ? undefined : `msg_${key}`,
  kind,
  time,
  text,
});

async function withIndex(fn: (index: SearchIndex, path: string) => void | Promise<void>) {
  const dir = await Deno.makeTempDir({ prefix: "palot-search-" });
  const path = join(dir, "search.db");
  const { index } = SearchIndex.open(path);
  try {
    await fn(index, path);
  } finally {
    index.close();
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("each session appears once, titles above text above tool output, then newest", () =>
  withIndex((index) => {
    index.upsert([
      doc("a1", "ses_tool", "tool", 50, "deploy log: the deploy failed"),
      doc("b1", "ses_text", "text", 10, "Let us deploy on Friday"),
      doc("b2", "ses_text", "text", 20, "deploy again, deploy once more"),
      doc("c1", "ses_title", "title", 5, "Deploy pipeline"),
      doc("d1", "ses_other", "text", 99, "nothing relevant here"),
    ]);
    const { hits, hasMore } = index.search(toFtsQuery("deploy")!, { limit: 10 });
    assert.deepEqual(hits.map((hit) => hit.sessionID), ["ses_title", "ses_text", "ses_tool"]);
    assert.equal(hasMore, false);
    assert.equal(hits[1].messageID, "msg_b2", "the session's best hit is the one shown");
    assert.deepEqual(
      splitSnippet(hits[0].snippet).filter((piece) => piece.match).map((piece) => piece.text),
      ["Deploy"],
    );
    const firstPage = index.search(toFtsQuery("deploy")!, { limit: 2 });
    assert.equal(firstPage.hasMore, true);
    assert.deepEqual(
      index.search(toFtsQuery("deploy")!, { limit: 2, offset: 2 }).hits.map((hit) => hit.sessionID),
      ["ses_tool"],
    );
  }));

Deno.test("upserting a key replaces its text, an empty text and a removed session drop it", () =>
  withIndex((index) => {
    index.upsert([doc("p1", "ses_1", "text", 1, "alpha bravo")]);
    index.upsert([doc("p1", "ses_1", "text", 2, "charlie")]);
    assert.equal(index.search(toFtsQuery("alpha")!, { limit: 5 }).hits.length, 0);
    assert.equal(index.search(toFtsQuery("charlie")!, { limit: 5 }).hits.length, 1);
    index.upsert([doc("p2", "ses_1", "text", 3, "delta")]);
    index.pruneMessage("msg_p1", new Set());
    assert.equal(index.search(toFtsQuery("charlie")!, { limit: 5 }).hits.length, 0);
    index.removeSession("ses_1");
    assert.equal(index.stats().entries, 0);
  }));

Deno.test("FTS syntax in a query is searched as text, never as an error", () =>
  withIndex((index) => {
    index.upsert([doc("p1", "ses_1", "text", 1, 'He said "near" or (maybe) not* NEAR the end')]);
    for (
      const text of ['"', '"unbalanced', "*", "NEAR", "a OR b", "(", "near(", "-x", "^", "col:x"]
    ) {
      const query = toFtsQuery(text);
      if (query) index.search(query, { limit: 5 });
    }
    assert.equal(index.search(toFtsQuery("NEAR")!, { limit: 5 }).hits.length, 1);
    assert.equal(index.search(toFtsQuery("(maybe")!, { limit: 5 }).hits.length, 1);
    assert.equal(toFtsQuery('  "*()  '), undefined, "no word: nothing to search");
    assert.equal(toFtsQuery('fix "login OR'), '"fix" "login" "or"*');
  }));

Deno.test("a corrupt index file, or one of another schema, is created again empty", async () => {
  const dir = await Deno.makeTempDir({ prefix: "palot-search-" });
  const path = join(dir, "search.db");
  try {
    await Deno.writeTextFile(path, "this is not a database ".repeat(400));
    const first = SearchIndex.open(path);
    assert.equal(first.rebuilt, true);
    first.index.upsert([doc("p1", "ses_1", "text", 1, "kept")]);
    first.index.setMeta("schema", "0");
    first.index.close();
    const second = SearchIndex.open(path);
    assert.equal(second.rebuilt, true, "an older schema is rebuilt");
    assert.equal(second.index.stats().entries, 0);
    second.index.close();
    const third = SearchIndex.open(path);
    assert.equal(third.rebuilt, false);
    third.index.close();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("titles by words and the count of matching sessions are bounded answers", () =>
  withIndex((index) => {
    const docs = Array.from(
      { length: 30 },
      (_, i) => doc(`title:s${i}`, `s${i}`, "title", i, `Copy ${i}`),
    );
    docs.push(doc("part:x", "s0", "text", 99, "copy inside a message"));
    index.upsert(docs);
    assert.deepEqual(index.titleSessions('"copy"*', 3), ["s29", "s28", "s27"], "latest first");
    assert.deepEqual(index.count('"copy"*', 100), { total: 30, capped: false }, "per session");
    assert.deepEqual(index.count('"copy"*', 10), { total: 10, capped: true });
    assert.deepEqual(index.count('"nothing"', 10), { total: 0, capped: false });
  }));

Deno.test("a typed prefix stands for the index's words that start with it", () =>
  withIndex((index) => {
    index.upsert([
      doc("title:a", "a", "title", 1, "Benchmark the café"),
      doc("title:b", "b", "title", 2, "Bench press"),
      doc("title:c", "c", "title", 3, "Unrelated"),
    ]);
    assert.deepEqual(index.completions("bench", 10), ["bench", "benchmark"]);
    assert.deepEqual(index.completions("caf", 10), ["cafe"]);
    assert.deepEqual(index.completions("bench", 1), ["bench"], "bounded");
    assert.deepEqual(index.completions("zzz", 10), []);
    const query = completedFtsQuery("the bench", index.completions(lastWord("the bench")!, 10))!;
    assert.equal(query, '"the" AND ("bench" OR "benchmark")');
    assert.deepEqual(index.search(query, { limit: 5 }).hits.map((hit) => hit.sessionID), ["a"]);
    assert.equal(lastWord("Café"), "cafe");
    assert.equal(completedFtsQuery("x", []), undefined);
  }));
