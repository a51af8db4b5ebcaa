/** The status index seeded from a running opencode, and an event newer than the seed. */

import assert from "node:assert/strict";
import { FakeLlm } from "../testing/fake_llm.ts";
import { OpencodeWorld, waitFor } from "../testing/world.ts";
import { basicAuthorization } from "../lib/server/opencode/endpoint.ts";
import type { HubEvent } from "../lib/common/hub_event.ts";
import { StatusIndex } from "../lib/server/events/status_index.ts";

const event = (type: string, directory: string, properties: Record<string, unknown>): HubEvent => ({
  directory,
  payload: { type, properties },
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
