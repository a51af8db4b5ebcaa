import assert from "node:assert/strict";
import { modelFacts, pickerGroups } from "./model_picker.tsx";

const providers = [
  {
    id: "mock",
    name: "Mock",
    models: [
      { id: "mock-1", name: "Mock One", variants: [] },
      {
        id: "mock-2",
        name: "Mock Two",
        variants: [],
        context: 128_000,
        cost: { input: 3, output: 15 },
      },
    ],
  },
  { id: "other", name: "Other", models: [{ id: "big", name: "Big", variants: [] }] },
];

Deno.test("any part of a name finds a model; groups by provider, recent first", () => {
  const names = (query: string, recent: string[] = []) =>
    pickerGroups(providers, query, recent).map((group) => [
      group.label,
      group.models.map((item) => item.model.name),
    ]);
  assert.deepEqual(names("two"), [["Mock", ["Mock Two"]]]);
  assert.deepEqual(names("OTHER"), [["Other", ["Big"]]]);
  assert.deepEqual(names("mock on"), [["Mock", ["Mock One"]]]);
  assert.deepEqual(names("", ["other/big"]), [
    ["Recent", ["Big"]],
    ["Mock", ["Mock One", "Mock Two"]],
  ]);
  assert.deepEqual(names("nothing"), []);
});

Deno.test("a model's facts: context and price where known", () => {
  assert.equal(modelFacts(providers[0].models[1]), "128K context · $3 / $15 per M");
  assert.equal(modelFacts(providers[0].models[0]), "");
});
