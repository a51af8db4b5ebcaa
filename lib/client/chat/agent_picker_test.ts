import assert from "node:assert/strict";
import { matchingAgents } from "./agent_picker.tsx";

Deno.test("an agent is found by any part of its name or its description", () => {
  const agents = ["build", "plan", "docs"];
  const descriptions = { plan: "Plans without editing files", docs: "Writes the docs" };
  assert.deepEqual(matchingAgents(agents, descriptions, ""), agents);
  assert.deepEqual(matchingAgents(agents, descriptions, "LA"), ["plan"]);
  assert.deepEqual(matchingAgents(agents, descriptions, "editing"), ["plan"]);
  assert.deepEqual(matchingAgents(agents, descriptions, "writes doc"), ["docs"]);
  assert.deepEqual(matchingAgents(agents, undefined, "nothing"), []);
});
