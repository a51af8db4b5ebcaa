import assert from "node:assert/strict";
import type { HubEvent } from "../../common/hub_event.ts";
import { type NamedChanges, RereadSchedule } from "./reread_schedule.ts";

const event = (type: string, properties: Record<string, unknown>): HubEvent => ({
  directory: "/tmp/app",
  payload: { type, properties },
});

Deno.test("RereadSchedule hands over what events named once they settle, then again", async () => {
  const reads: NamedChanges[] = [];
  let ready = false;
  const schedule = new RereadSchedule({
    settleMs: 20,
    rechecksMs: [60],
    ready: () => ready,
    read: (changes) => reads.push(changes),
  });
  try {
    schedule.note(event("message.part.updated", { part: { messageID: "msg_1" } }));
    schedule.note(event("message.updated", { info: { id: "msg_2" } }));
    schedule.note(event("session.updated", { info: { id: "ses_1" } }));
    schedule.note(event("session.deleted", { info: { id: "ses_2" } }));
    schedule.note(event("session.status", { sessionID: "ses_3" }));
    await new Promise((resolve) => setTimeout(resolve, 40));
    assert.deepEqual(reads, [], "kept while the reader is not ready");

    ready = true;
    schedule.note(event("message.part.delta", { messageID: "msg_3" }));
    await new Promise((resolve) => setTimeout(resolve, 40));
    assert.deepEqual(reads, [{
      messages: ["msg_1", "msg_2", "msg_3"],
      sessions: ["ses_1"],
      removedSessions: ["ses_2"],
    }]);
    await new Promise((resolve) => setTimeout(resolve, 60));
    assert.deepEqual(reads[1], {
      messages: ["msg_1", "msg_2", "msg_3"],
      sessions: ["ses_1"],
      removedSessions: [],
    }, "read again, without deleting again");
    assert.equal(reads.length, 2);
  } finally {
    schedule.clear();
  }
});

Deno.test("RereadSchedule.clear cancels what was scheduled", async () => {
  const reads: NamedChanges[] = [];
  const schedule = new RereadSchedule({
    settleMs: 10,
    ready: () => true,
    read: (changes) => reads.push(changes),
  });
  schedule.note(event("message.updated", { info: { id: "msg_1" } }));
  schedule.clear();
  await new Promise((resolve) => setTimeout(resolve, 40));
  assert.deepEqual(reads, []);
});
