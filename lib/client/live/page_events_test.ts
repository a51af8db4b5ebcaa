import assert from "node:assert/strict";
import { eventsForPage, machineStates } from "./page_events.ts";

const event = (type: string, server?: string, properties: Record<string, unknown> = {}) => ({
  directory: "/w",
  ...server ? { server } : {},
  payload: { type, properties },
});

Deno.test("a page applies its own machine's events, and others' sessions' activity; a server's status is its connection", () => {
  // Another machine's sessions' activity counts on every page (Active now, the title's count).
  assert.equal(
    eventsForPage(event("session.idle", "desk", { sessionID: "s" }), undefined).length,
    1,
  );
  for (const type of ["permission.asked", "session.status", "session.updated"]) {
    assert.equal(eventsForPage(event(type, "desk", { sessionID: "s" }), undefined).length, 1);
  }
  // Its messages and connection are its own pages' business.
  for (const type of ["message.part.delta", "message.updated", "vcs.branch.updated"]) {
    assert.equal(eventsForPage(event(type, "desk", { sessionID: "s" }), undefined).length, 0);
    assert.equal(eventsForPage(event(type, undefined, { sessionID: "s" }), "desk").length, 0);
  }
  assert.equal(
    eventsForPage(event("session.idle", undefined, { sessionID: "s" }), undefined).length,
    1,
  );
  assert.equal(eventsForPage(event("session.idle", "desk", { sessionID: "s" }), "desk").length, 1);
  assert.equal(eventsForPage(event("session.idle", "vm", { sessionID: "s" }), "desk").length, 1);
  assert.equal(
    eventsForPage(event("session.idle", undefined, { sessionID: "s" }), "desk").length,
    1,
  );
  assert.equal(eventsForPage(event("palot.connection", undefined), "desk").length, 0);
  assert.equal(eventsForPage(event("palot.resync", undefined), "desk").length, 1);

  const offline = event("palot.server", "desk", { server: "desk", state: "offline", reason: "x" });
  assert.deepEqual(eventsForPage(offline, undefined), []);
  assert.equal(machineStates.value.desk.state, "offline");
  const [connection] = eventsForPage(offline, "desk");
  assert.deepEqual(connection.payload, {
    type: "palot.connection",
    properties: { connected: false },
  });
  const back = eventsForPage(
    event("palot.server", "desk", { server: "desk", state: "online" }),
    "desk",
  );
  assert.deepEqual(back.map((each) => each.payload.type), ["palot.connection", "palot.resync"]);
  assert.equal(machineStates.value.desk.state, "online");
});
