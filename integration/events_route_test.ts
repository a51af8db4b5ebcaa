/** `GET /api/events` against a real Palot and opencode: resuming with Last-Event-ID, and a resync. */

import assert from "node:assert/strict";
import { startPalot } from "../testing/palot.ts";
import { readSse } from "../testing/sse.ts";
import { OpencodeWorld, waitFor } from "../testing/world.ts";

Deno.test("a tab resumes with Last-Event-ID, and resyncs when the gap is too old", async () => {
  await using world = await OpencodeWorld.create();
  const project = await world.makeProject("alpha");
  await using palot = await startPalot(world, { env: { PALOT_EVENT_BUFFER: "12" } });
  const createSession = async (title: string) => {
    const response = await palot.fetch(
      `/api/opencode/session?directory=${encodeURIComponent(project)}`,
      {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ title }),
      },
    );
    assert.equal(response.status, 200);
    return (await response.json()).id as string;
  };
  const createdIds = (messages: ReturnType<typeof readSse>["messages"]) =>
    messages.filter((message) => message.json.payload.type === "session.created")
      .map((message) => (message.json.payload.properties!.info as { id: string }).id);

  const first = readSse(await palot.fetch("/api/events"));
  try {
    await waitFor(
      () =>
        first.messages.some((message) =>
          message.json.payload.type === "palot.connection" &&
          message.json.payload.properties?.connected
        ),
      { timeoutMs: 60_000, message: "the connected state" },
    );
    const sessions = [
      await createSession("One"),
      await createSession("Two"),
      await createSession("Three"),
    ];
    await waitFor(() => createdIds(first.messages).length === 3, {
      message: "three session.created",
    });
    assert.deepEqual(createdIds(first.messages), sessions);

    // A second tab that saw everything up to the first session.created gets exactly the rest.
    const firstCreated = first.messages.find((message) =>
      message.json.payload.type === "session.created"
    )!;
    const afterFirst = first.messages.slice(first.messages.indexOf(firstCreated) + 1).map((
      message,
    ) => message.id);
    const second = readSse(
      await palot.fetch("/api/events", { headers: { "last-event-id": firstCreated.id! } }),
    );
    try {
      await waitFor(() => second.messages.length >= afterFirst.length + 1, {
        message: "the replay",
      });
      assert.equal(
        second.messages[0].id,
        undefined,
        "the connection state comes first, without an id",
      );
      assert.deepEqual(
        second.messages.slice(1, afterFirst.length + 1).map((message) => message.id),
        afterFirst,
      );
      assert.deepEqual(createdIds(second.messages), sessions.slice(1));
    } finally {
      await second.close();
    }

    // Far more events than the buffer holds: the old id can no longer be replayed.
    for (let i = 0; i < 12; i++) await createSession(`Filler ${i}`);
    await waitFor(() => createdIds(first.messages).length === 15, {
      message: "the filler sessions",
    });
    for (const lastEventId of [firstCreated.id!, "another-palot:1", "garbage"]) {
      const late = readSse(
        await palot.fetch(`/api/events?lastEventId=${encodeURIComponent(lastEventId)}`),
      );
      try {
        await waitFor(() => late.messages.length >= 2, { message: "the resync" });
        assert.equal(late.messages[1].json.payload.type, "palot.resync", lastEventId);
        assert.deepEqual(createdIds(late.messages), [], "nothing stale is replayed");
      } finally {
        await late.close();
      }
    }
  } finally {
    await first.close();
  }
});
