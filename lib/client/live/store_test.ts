/**
 * The store driven by event sequences recorded from the real opencode (see
 * `testing/record_events.ts`): after the events, it must hold what `session.messages` returned.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { effect } from "@preact/signals";
import { waitFor } from "../../../testing/world.ts";
import {
  flush,
  messagesOf,
  onResync,
  pendingForSession,
  processEvent,
  server,
  sessions,
  type StoreEvent,
  vcsBranches,
  watchSession,
} from "./store.ts";

interface Recording {
  events: StoreEvent[];
  messages: Record<string, { info: { id: string }; parts: { id: string }[] }[]>;
  sessions: Record<string, { id: string; directory: string; title: string }>;
}

function load(name: string): Recording {
  return JSON.parse(
    Deno.readTextFileSync(
      join(
        import.meta.dirname!,
        "..",
        "..",
        "..",
        "testing",
        "testdata",
        "recorded_events",
        `${name}.json`,
      ),
    ),
  );
}

/** Plays a recording into the store, one frame per event, watching its sessions from the start. */
function play(recording: Recording, afterEach?: (event: StoreEvent) => void) {
  for (const id of Object.keys(recording.sessions)) watchSession(id, []);
  for (const event of recording.events) {
    processEvent(event);
    flush();
    afterEach?.(event);
  }
}

function assertMatchesApi(recording: Recording) {
  for (const [id, expected] of Object.entries(recording.messages)) {
    assert.deepEqual(messagesOf(id), expected, `messages of ${id}`);
    assert.equal(sessions.value[id].status, "idle");
    assert.equal(sessions.value[id].directory, recording.sessions[id].directory);
    assert.equal(sessions.value[id].title, recording.sessions[id].title);
  }
}

Deno.test("a streamed Markdown reply ends as session.messages returns it", () => {
  const recording = load("streaming");
  assert.ok(
    recording.events.filter((event) => event.payload.type === "message.part.delta").length > 20,
  );
  play(recording);
  assertMatchesApi(recording);
});

Deno.test("a tool call ends as session.messages returns it", () => {
  const recording = load("tool_call");
  play(recording);
  assertMatchesApi(recording);
  const [id] = Object.keys(recording.sessions);
  const tool = messagesOf(id).flatMap((message) => message.parts).find((part) =>
    part.type === "tool"
  );
  assert.ok(tool && tool.type === "tool" && tool.state.status === "completed");
});

Deno.test("a permission request appears, then goes away when answered", () => {
  const recording = load("permission");
  const [id] = Object.keys(recording.sessions);
  const seen: number[] = [];
  play(recording, (event) => {
    if (event.payload.type.startsWith("permission.")) {
      seen.push(pendingForSession(id).permissions.length);
    }
  });
  assert.deepEqual(seen, [1, 0]);
  assertMatchesApi(recording);
});

Deno.test("sessions in two directories are attributed by their own content", () => {
  const recording = load("two_directories");
  play(recording);
  assertMatchesApi(recording);
  const directories = Object.keys(recording.sessions).map((id) => sessions.value[id].directory);
  assert.deepEqual(directories.map((directory) => directory.split("/").pop()), ["alpha", "beta"]);
});

Deno.test("a burst of deltas within a frame renders once", () => {
  const recording = load("streaming");
  const [id] = Object.keys(recording.sessions);
  play(recording);
  const part = messagesOf(id).flatMap((message) => message.parts).find((part) =>
    part.type === "text"
  )!;
  const list = watchSession(id, messagesOf(id));
  const partSignal = list.value.flatMap((message) => message.parts.value).find((candidate) =>
    candidate.value.id === part.id
  )!;
  let renders = 0;
  const dispose = effect(() => {
    partSignal.value;
    renders++;
  });
  const before = (partSignal.value as { text: string }).text;
  for (let i = 0; i < 100; i++) {
    processEvent({
      directory: "/world/projects/alpha",
      payload: {
        type: "message.part.delta",
        properties: {
          sessionID: id,
          messageID: part.messageID,
          partID: part.id,
          field: "text",
          delta: "x",
        },
      },
    });
  }
  assert.equal(renders, 1, "nothing applied before the frame");
  flush();
  assert.equal(renders, 2, "one render for 100 deltas");
  assert.equal((partSignal.value as { text: string }).text, before + "x".repeat(100));
  dispose();
});

Deno.test("connection, resync, branch, deletion and unknown events", () => {
  const resyncs: (string | undefined)[] = [];
  const off = onResync((directory) => resyncs.push(directory));
  const emit = (type: string, properties: Record<string, unknown> = {}, directory = "/p") => {
    processEvent({ directory, payload: { type, properties } });
    flush();
  };
  emit("palot.connection", { connected: true });
  assert.deepEqual(server.value, { connected: true, status: "connected" });
  emit("palot.connection", { connected: false });
  assert.deepEqual(server.value, { connected: false, status: "reconnecting" });
  emit("palot.resync");
  emit("server.instance.disposed", { directory: "/p" });
  assert.deepEqual(resyncs, [undefined, "/p"]);
  off();
  emit("vcs.branch.updated", { branch: "feature" });
  assert.equal(vcsBranches.value["/p"], "feature");
  emit("session.status", { sessionID: "ses_x", status: { type: "busy" } });
  assert.equal(sessions.value.ses_x.status, "busy");
  assert.equal(sessions.value.ses_x.directory, "/p");
  // Busy and idle in one batch (a tab catching up): the session is remembered as having worked.
  processEvent({
    directory: "/p",
    payload: {
      type: "session.status",
      properties: { sessionID: "ses_y", status: { type: "busy" } },
    },
  });
  processEvent({
    directory: "/p",
    payload: {
      type: "session.status",
      properties: { sessionID: "ses_y", status: { type: "idle" } },
    },
  });
  flush();
  assert.deepEqual([sessions.value.ses_y.status, sessions.value.ses_y.worked], ["idle", true]);
  emit("session.error", {
    sessionID: "ses_x",
    error: { name: "APIError", data: { message: "Rate limited" } },
  });
  assert.equal(sessions.value.ses_x.status, "error");
  assert.equal(sessions.value.ses_x.error, "Rate limited");
  const before = sessions.value;
  emit("something.new", { sessionID: "ses_x" });
  assert.equal(sessions.value, before, "unknown events change nothing");
  emit("session.deleted", { sessionID: "ses_x", info: { id: "ses_x" } });
  assert.equal(sessions.value.ses_x, undefined);
});

Deno.test("streamed text is applied a moment later, other events at once", async () => {
  const sessionID = "ses_delay";
  const info = { id: "msg_1", sessionID, role: "assistant" };
  const part = { id: "prt_1", sessionID, messageID: "msg_1", type: "text", text: "" };
  watchSession(sessionID, [{ info, parts: [part] }] as never);
  const text = () => (messagesOf(sessionID)[0].parts[0] as { text: string }).text;
  const tick = () => new Promise((resolve) => setTimeout(resolve, 0));
  processEvent({
    directory: "/p",
    payload: { type: "session.status", properties: { sessionID, status: { type: "busy" } } },
  });
  await tick();
  assert.equal(sessions.value[sessionID].status, "busy");
  processEvent({
    directory: "/p",
    payload: {
      type: "message.part.delta",
      properties: { sessionID, messageID: "msg_1", partID: "prt_1", field: "text", delta: "Hi" },
    },
  });
  await tick();
  assert.equal(text(), "", "deltas wait, so a fast stream is drawn a few times a second");
  await waitFor(() => text() === "Hi", { timeoutMs: 2_000, message: "the delta" });
});

/** Captures `console.warn` while `fn` runs. */
function capturingWarnings(fn: () => void): string[] {
  const warnings: string[] = [];
  const original = console.warn;
  console.warn = (...args: unknown[]) => warnings.push(args.map(String).join(" "));
  try {
    fn();
  } finally {
    console.warn = original;
  }
  return warnings;
}

Deno.test("a malformed event is logged and skipped; the rest of its batch applies", () => {
  const sessionID = "ses_batch";
  watchSession(sessionID, []);
  const warnings = capturingWarnings(() => {
    processEvent({
      directory: "/m",
      payload: { type: "session.status", properties: { sessionID, status: { type: "busy" } } },
    });
    processEvent({
      directory: "/m",
      payload: { type: "vcs.branch.updated", properties: { branch: "b" } },
    });
    processEvent({ directory: "/m", payload: { type: "session.updated", properties: {} } });
    processEvent({
      directory: "/m",
      payload: { type: "message.part.delta", properties: { sessionID } },
    });
    processEvent("not an event" as never);
    processEvent({
      directory: "/m",
      payload: {
        type: "todo.updated",
        properties: { sessionID, todos: [{ content: "x", status: "pending", priority: "low" }] },
      },
    });
    flush();
  });
  assert.equal(sessions.value[sessionID].status, "busy");
  assert.equal(sessions.value[sessionID].todos.length, 1);
  assert.equal(vcsBranches.value["/m"], "b");
  assert.equal(warnings.length, 3, warnings.join("\n"));
  assert.match(warnings[0], /"session.updated" lacks "info.id"/);
});

Deno.test("an event that throws while applied changes nothing, and the others apply", () => {
  const info = {
    id: "ses_throws",
    directory: "/m",
    get title(): string {
      throw new Error("Unreadable title");
    },
  };
  const warnings = capturingWarnings(() => {
    processEvent({ directory: "/m", payload: { type: "session.updated", properties: { info } } });
    processEvent({
      directory: "/m",
      payload: {
        type: "session.status",
        properties: { sessionID: "ses_after", status: { type: "busy" } },
      },
    });
    flush();
  });
  assert.equal(sessions.value.ses_throws, undefined);
  assert.equal(sessions.value.ses_after.status, "busy");
  assert.equal(warnings.length, 1);
});

Deno.test("events without a sessionID create no session with an empty id", () => {
  const warnings = capturingWarnings(() => {
    for (const type of ["session.status", "session.idle", "permission.asked", "todo.updated"]) {
      processEvent({ directory: "/m", payload: { type, properties: { id: "per_1" } } });
    }
    processEvent({ directory: "/m", payload: { type: "session.error", properties: {} } });
    flush();
  });
  assert.equal(sessions.value[""], undefined);
  assert.equal(warnings.length, 4);
});
