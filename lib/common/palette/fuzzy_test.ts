import assert from "node:assert/strict";
import { fuzzyFilter, fuzzyScore } from "./fuzzy.ts";

Deno.test("fuzzy matching finds characters in order, and only in order", () => {
  assert.ok(fuzzyScore("fxlgn", "Fix login") > -Infinity);
  assert.equal(fuzzyScore("ngol", "login"), -Infinity);
  assert.equal(fuzzyScore("zz", "Fix login"), -Infinity);
  assert.ok(fuzzyScore("ecole", "École normale") > -Infinity, "accents and case are ignored");
});

Deno.test("fuzzy ranking favours word starts, runs and short names", () => {
  const names = ["catalogue", "A fix for logging in", "login", "Fix login"];
  assert.deepEqual(fuzzyFilter("log", names, (name) => name, 2), ["login", "Fix login"]);
  assert.deepEqual(fuzzyFilter("fxlgn", names, (name) => name, 5), [
    "Fix login",
    "A fix for logging in",
  ]);
  assert.deepEqual(fuzzyFilter("", names, (name) => name, 2), [
    "catalogue",
    "A fix for logging in",
  ]);
});
