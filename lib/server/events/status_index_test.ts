/** The status index over events recorded from the real opencode (seeding: `integration/`). */

import assert from "node:assert/strict";
import { join } from "node:path";
import type { HubEvent } from "../../common/hub_event.ts";
import { StatusIndex } from "./status_index.ts";

const TESTDATA = join(
  import.meta.dirname!,
  "..",
  "..",
  "..",
  "testing",
  "testdata",
  "recorded_events",
);

async function recorded(name: string): Promise<HubEvent[]> {
  const { events } = JSON.parse(await Deno.readTextFile(join(TESTDATA, `${name}.json`)));
  return events.map((event: { directory?: string; payload: HubEvent["payload"] }) => ({
    directory: event.directory ?? "",
    payload: event.payload,
  }));
}

const event = (type: string, directory: string, properties: Record<string, unknown>): HubEvent => ({
  directory,
  payload: { type, properties },
});

Deno.test("StatusIndex follows a recorded permission round trip", async () => {
  const index = new StatusIndex();
  const seen: string[] = [];
  for (const event of await recorded("permission")) {
    index.apply(event);
    const properties = event.payload.properties as Record<string, string>;
    const state = index.get(properties.sessionID ?? "");
    if (event.payload.type === "permission.asked") {
      assert.equal(state?.status, "busy");
      assert.equal(state?.directory, "/world/projects/alpha");
      assert.deepEqual(state?.permissions.map((request) => request.id), [properties.id]);
      seen.push("asked");
    }
    if (event.payload.type === "permission.replied") {
      assert.deepEqual(state?.permissions, []);
      assert.ok(index.busySessionIds().has(properties.sessionID), "still working");
      seen.push("replied");
    }
  }
  assert.deepEqual(seen, ["asked", "replied"]);
  assert.deepEqual(index.snapshot(), {}, "idle with nothing pending: nothing left");
});

Deno.test("StatusIndex attributes two directories' sessions from a recorded stream", async () => {
  const index = new StatusIndex();
  const busyIn = new Map<string, string>();
  for (const event of await recorded("two_directories")) {
    index.apply(event);
    for (const id of index.busySessionIds()) {
      busyIn.set(id, index.get(id)!.directory);
      assert.ok(index.workingIn(index.get(id)!.directory).includes(id), "working in its folder");
    }
    for (const directory of ["/world/projects/alpha", "/world/projects/beta"]) {
      const other = directory.endsWith("alpha") ? "beta" : "alpha";
      for (const id of index.workingIn(directory)) {
        assert.ok(!index.workingIn(`/world/projects/${other}`).includes(id), "only its own folder");
      }
    }
  }
  assert.deepEqual([...busyIn.values()].sort(), ["/world/projects/alpha", "/world/projects/beta"]);
  assert.equal(index.busySessionIds().size, 0);
  assert.deepEqual(index.workingIn("/world/projects/alpha"), [], "none once the turns end");
});

Deno.test("StatusIndex handles questions, errors, deletions and disposed instances", () => {
  const index = new StatusIndex();
  index.apply(event("session.status", "/a", { sessionID: "s1", status: { type: "retry" } }));
  index.apply(event("question.asked", "/a", { id: "q1", sessionID: "s1", questions: [] }));
  index.apply(event("question.asked", "/a", { id: "q2", sessionID: "s1", questions: [] }));
  index.apply(event("question.asked", "/a", { id: "q2", sessionID: "s1", questions: [] }));
  assert.deepEqual(index.get("s1")?.questions.map(({ id }) => id), ["q1", "q2"], "no duplicate");
  assert.deepEqual([...index.busySessionIds()], ["s1"], "retry counts as working");
  index.apply(event("question.replied", "/a", { sessionID: "s1", requestID: "q1", answers: [] }));
  index.apply(event("question.rejected", "/a", { sessionID: "s1", requestID: "q2" }));
  assert.deepEqual(index.get("s1")?.questions, []);

  index.apply(event("session.error", "/a", { sessionID: "s1", error: { name: "UnknownError" } }));
  assert.equal(index.get("s1")?.status, "error");
  assert.equal(index.busySessionIds().size, 0);
  index.apply(event("session.error", "/a", { error: { name: "UnknownError" } }));
  assert.deepEqual(Object.keys(index.snapshot()), ["s1"], "an error without a session is ignored");

  index.apply(event("permission.asked", "/a", { id: "p1", sessionID: "s1" }));
  index.apply(event("session.deleted", "/a", { sessionID: "s1", info: { id: "s1" } }));
  assert.equal(index.get("s1"), undefined);

  index.apply(event("session.status", "/a", { sessionID: "s2", status: { type: "busy" } }));
  index.apply(event("session.status", "/b", { sessionID: "s3", status: { type: "busy" } }));
  assert.deepEqual(index.directories().sort(), ["/a", "/b"]);
  index.apply(event("server.instance.disposed", "/a", { directory: "/a" }));
  assert.deepEqual(Object.keys(index.snapshot()), ["s3"]);
  index.apply(event("session.idle", "/b", { sessionID: "s3" }));
  assert.deepEqual(index.snapshot(), {});
});

Deno.test("StatusIndex says what a working session does now, until its turn ends", () => {
  const index = new StatusIndex();
  const directory = "/p";
  const part = (state: Record<string, unknown>) =>
    event("message.part.updated", directory, {
      part: { sessionID: "ses_1", type: "tool", tool: "bash", state },
    });
  // Not working: nothing said.
  index.apply(part({ status: "running", input: { command: "ls" } }));
  assert.equal(index.get("ses_1"), undefined);
  index.apply(event("session.status", directory, { sessionID: "ses_1", status: { type: "busy" } }));
  assert.equal(index.get("ses_1")?.doing, undefined);
  index.apply(part({ status: "running", input: { command: "npm test" } }));
  assert.equal(index.get("ses_1")?.doing, "Running bash: npm test");
  index.apply(part({ status: "completed", input: { command: "npm test" } }));
  assert.equal(index.get("ses_1")?.doing, "Thinking…");
  index.apply(event("session.error", directory, { sessionID: "ses_1", error: { name: "x" } }));
  assert.equal(index.get("ses_1")?.doing, undefined);
});
