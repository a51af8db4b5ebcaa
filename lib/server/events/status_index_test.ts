/** The status index: events recorded from the real opencode, and seeding from a running one. */

import assert from "node:assert/strict";
import { join } from "node:path";
import { FakeLlm } from "../../../testing/fake_llm.ts";
import { OpencodeWorld, waitFor } from "../../../testing/world.ts";
import { basicAuthorization } from "../opencode/endpoint.ts";
import type { HubEvent } from "../../shared/hub_event.ts";
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
    for (const id of index.busySessionIds()) busyIn.set(id, index.get(id)!.directory);
  }
  assert.deepEqual([...busyIn.values()].sort(), ["/world/projects/alpha", "/world/projects/beta"]);
  assert.equal(index.busySessionIds().size, 0);
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

Deno.test("StatusIndex.seed reads busy sessions and pending permissions from the real opencode", async () => {
  await using llm = await FakeLlm.start();
  await using world = await OpencodeWorld.create({ llm, config: { permission: { bash: "ask" } } });
  const alpha = await world.makeProject("alpha");
  const quiet = await world.makeProject("quiet");
  await using opencode = await world.startOpencode();
  const endpoint = { url: opencode.url, authorization: basicAuthorization(opencode.password) };
  const client = opencode.client(alpha);
  const session = (await client.session.create({ title: "Seeded" }, { throwOnError: true })).data;
  llm.enqueue(
    { toolCalls: [{ name: "bash", arguments: { command: "ls", description: "List files" } }] },
    { text: "Listed." },
  );
  await client.session.promptAsync(
    { sessionID: session.id, parts: [{ type: "text", text: "List the files" }] },
    { throwOnError: true },
  );
  const permission = await waitFor(async () => {
    const response = await opencode.fetch(`/permission?directory=${encodeURIComponent(alpha)}`);
    return ((await response.json()) as { id: string; sessionID: string }[])[0];
  }, { timeoutMs: 30_000, message: "the permission request" });

  const index = new StatusIndex();
  // A stale entry of a seeded directory goes; one of another directory stays.
  index.apply(event("session.status", alpha, { sessionID: "ses_gone", status: { type: "busy" } }));
  index.apply(
    event("session.status", "/elsewhere", { sessionID: "ses_x", status: { type: "busy" } }),
  );
  await index.seed(endpoint, [alpha, quiet]);
  assert.equal(index.get(session.id)?.status, "busy");
  assert.equal(index.get(session.id)?.directory, alpha);
  assert.deepEqual(index.get(session.id)?.permissions.map(({ id }) => id), [permission.id]);
  assert.equal(index.get("ses_gone"), undefined);
  assert.equal(index.get("ses_x")?.status, "busy");

  // An event that arrives while the seed waits for OpenCode is newer than its answer.
  const fresh = new StatusIndex();
  const seeding = fresh.seed(endpoint, [alpha]);
  fresh.apply(event("session.idle", alpha, { sessionID: session.id }));
  await seeding;
  assert.equal(fresh.get(session.id)?.status, undefined, "the newer idle wins");
  assert.deepEqual(fresh.get(session.id)?.permissions.map(({ id }) => id), [permission.id]);

  const reply = await opencode.fetch(
    `/permission/${permission.id}/reply?directory=${encodeURIComponent(alpha)}`,
    {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ reply: "once" }),
    },
  );
  await reply.body?.cancel();
  assert.ok(reply.ok);
  await waitFor(async () => {
    await index.seed(endpoint, [alpha]);
    return !index.get(session.id);
  }, { timeoutMs: 30_000, message: "the session to finish" });

  await assert.rejects(
    index.seed({ ...endpoint, authorization: basicAuthorization("wrong") }, [alpha, quiet]),
    /Cannot read 2 of 2 directories/,
  );
  assert.equal(index.get("ses_x")?.status, "busy", "a failed seed changes nothing");
});
