import assert from "node:assert/strict";
import { liveWindowStart } from "./live_session.ts";

const list = (roles: string) =>
  [...roles].map((role) => ({ info: { role: role === "u" ? "user" : "assistant" } }));

Deno.test("the live window starts at the first message of the turn it would cut", () => {
  // The last 3 would start inside the first turn: widened back to its user message.
  assert.equal(liveWindowStart(list("uaaaaua"), 3), 0);
  // The last 3 start at a user message: as they are.
  assert.equal(liveWindowStart(list("uaaauaa"), 3), 4);
  assert.equal(liveWindowStart(list("uaauaaa"), 3), 3);
  // Fewer messages than the window: all of them.
  assert.equal(liveWindowStart(list("ua"), 3), 0);
  assert.equal(liveWindowStart([], 3), 0);
});
