import assert from "node:assert/strict";
import type { MessageWithParts } from "../../common/message.ts";
import { StreamingParts } from "./streaming_parts.ts";

const event = (type: string, properties: Record<string, unknown>) => ({
  directory: "/p",
  payload: { type, properties },
});
const textPart = (text: string, end?: number) => ({
  id: "prt_1",
  sessionID: "ses_1",
  messageID: "msg_1",
  type: "text",
  text,
  time: { start: 1, ...(end ? { end } : {}) },
});
const stored = (text: string): MessageWithParts[] => [{
  info: { id: "msg_1", sessionID: "ses_1", role: "assistant" } as MessageWithParts["info"],
  parts: [textPart(text) as MessageWithParts["parts"][number]],
}];
const textOf = (messages: MessageWithParts[]) =>
  (messages[0].parts[0] as unknown as { text: string }).text;

Deno.test("StreamingParts: a page rendered mid-reply shows the text streamed so far", () => {
  const streaming = new StreamingParts();
  streaming.apply(event("message.part.updated", { part: textPart("") }));
  for (const delta of ["slow0 ", "slow1 ", "slow2 "]) {
    streaming.apply(
      event("message.part.delta", {
        sessionID: "ses_1",
        messageID: "msg_1",
        partID: "prt_1",
        field: "text",
        delta,
      }),
    );
  }
  // opencode.db still has the empty text it stored when the part started.
  assert.equal(textOf(streaming.overlay("ses_1", stored(""))), "slow0 slow1 slow2 ");
  assert.equal(textOf(streaming.overlay("ses_2", stored(""))), "", "another session's page");
  // Not stored yet at all: added to its message.
  const bare: MessageWithParts[] = [{ ...stored("")[0], parts: [] }];
  assert.equal(textOf(streaming.overlay("ses_1", bare)), "slow0 slow1 slow2 ");

  // Stored whole when it ends: the stored text is the truth again.
  streaming.apply(event("message.part.updated", { part: textPart("slow0 slow1 slow2 end", 9) }));
  assert.equal(textOf(streaming.overlay("ses_1", stored("stored"))), "stored");

  streaming.apply(event("message.part.updated", { part: textPart("again") }));
  streaming.apply(event("session.status", { sessionID: "ses_1", status: { type: "idle" } }));
  assert.equal(textOf(streaming.overlay("ses_1", stored("stored"))), "stored", "idle forgets");
});

Deno.test("StreamingParts keeps at most `limit` parts", () => {
  const streaming = new StreamingParts({ limit: 2 });
  for (const id of ["prt_a", "prt_b", "prt_c"]) {
    streaming.apply(event("message.part.updated", { part: { ...textPart("x"), id } }));
  }
  const message: MessageWithParts[] = [{ ...stored("")[0], parts: [] }];
  const ids = streaming.overlay("ses_1", message)[0].parts.map((part) => part.id);
  assert.deepEqual(ids, ["prt_b", "prt_c"]);
});
