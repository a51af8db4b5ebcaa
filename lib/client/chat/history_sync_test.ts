import assert from "node:assert/strict";
import { signal } from "@preact/signals";
import type { Message, Part } from "@opencode-ai/sdk/v2/client";
import { messageEntries } from "../live/store.ts";
import { historySync } from "./history_sync.ts";

type Stored = { info: Message; parts: Part[] };

const text = (messageID: string, id: string, value: string) =>
  ({ id, messageID, sessionID: "ses_1", type: "text", text: value }) as Part;
const message = (id: string, role: "user" | "assistant", parts: Part[] = []): Stored => ({
  info: { id, sessionID: "ses_1", role } as Message,
  parts,
});
const plain = (list: ReturnType<typeof messageEntries>) =>
  list.map((entry) => ({
    id: entry.id,
    parts: entry.parts.value.map((part) => (part.value as { text?: string }).text ?? part.value.id),
  }));

function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((done) => resolve = done);
  return { promise, resolve };
}

Deno.test("a reload asks for the page's window, not the whole history", async () => {
  const list = signal(messageEntries([message("msg_1", "user"), message("msg_2", "assistant")]));
  const limits: (number | undefined)[] = [];
  const sync = historySync({
    load: (_id, limit) => {
      limits.push(limit);
      return Promise.resolve([message("msg_1", "user"), message("msg_2", "assistant")]);
    },
    minimum: 50,
  });
  await sync.reload("ses_1", list);
  assert.deepEqual(limits, [50]);
  for (let index = 10; index < 70; index++) {
    list.value = [...list.value, ...messageEntries([message(`msg_3${index}`, "user")])];
  }
  await sync.reload("ses_1", list);
  assert.equal(limits[1], 62, "the window grew with the chat");
});

Deno.test("a reload keeps text streamed after the server's snapshot, and newer messages", async () => {
  const list = signal(messageEntries([
    message("msg_1", "user", [text("msg_1", "prt_1", "Hi")]),
    message("msg_2", "assistant", [text("msg_2", "prt_2", "Hello there, how are")]),
    message("msg_4", "user", [text("msg_4", "prt_9", "Newer than the snapshot")]),
  ]));
  const sync = historySync({
    load: () =>
      Promise.resolve([
        message("msg_1", "user", [text("msg_1", "prt_1", "Hi")]),
        // The snapshot was taken before the last deltas arrived.
        message("msg_2", "assistant", [text("msg_2", "prt_2", "Hello")]),
        message("msg_3", "assistant", [text("msg_3", "prt_3", "Missed while offline")]),
      ]),
    minimum: 50,
  });
  const before = list.value[0];
  await sync.reload("ses_1", list);
  assert.deepEqual(plain(list.value), [
    { id: "msg_1", parts: ["Hi"] },
    { id: "msg_2", parts: ["Hello there, how are"] },
    { id: "msg_3", parts: ["Missed while offline"] },
    { id: "msg_4", parts: ["Newer than the snapshot"] },
  ]);
  assert.equal(list.value[0], before, "an unchanged message keeps its entry (no re-render)");
});

Deno.test("a reload drops messages the server no longer has inside its window", async () => {
  const list = signal(messageEntries([
    message("msg_1", "user"),
    message("msg_2", "assistant", [text("msg_2", "prt_2", "reverted")]),
    message("msg_3", "user"),
  ]));
  const sync = historySync({
    load: () => Promise.resolve([message("msg_1", "user"), message("msg_3", "user")]),
    minimum: 50,
  });
  await sync.reload("ses_1", list);
  assert.deepEqual(list.value.map((entry) => entry.id), ["msg_1", "msg_3"]);
});

Deno.test("of two overlapping reloads the older response is dropped", async () => {
  const list = signal(messageEntries([message("msg_1", "user")]));
  const first = deferred<Stored[]>();
  const second = deferred<Stored[]>();
  const answers = [first, second];
  const sync = historySync({ load: () => answers.shift()!.promise, minimum: 50 });
  const one = sync.reload("ses_1", list);
  const two = sync.reload("ses_1", list);
  second.resolve([
    message("msg_1", "user"),
    message("msg_2", "assistant", [text("msg_2", "prt_2", "new")]),
  ]);
  await two;
  first.resolve([message("msg_1", "user")]);
  await one;
  assert.deepEqual(list.value.map((entry) => entry.id), ["msg_1", "msg_2"]);
});

Deno.test("messages older than the live window are not pulled into it", async () => {
  const list = signal(messageEntries([message("msg_5", "user")]));
  const sync = historySync({
    load: () => Promise.resolve([message("msg_4", "assistant"), message("msg_5", "user")]),
    minimum: 50,
    firstLiveId: "msg_5",
  });
  await sync.reload("ses_1", list);
  assert.deepEqual(list.value.map((entry) => entry.id), ["msg_5"]);
});
