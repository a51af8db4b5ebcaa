/** The one status rule, and the server's index and the browser's store following it alike. */

import assert from "node:assert/strict";
import { StatusIndex } from "../server/events/status_index.ts";
import { flush, processEvent, sessions } from "../client/live/store.ts";
import type { HubEvent } from "./hub_event.ts";
import { sessionStatus } from "./session_status.ts";

const failed = { name: "APIError", data: { message: "Out of credit" } };
const sessionID = "ses_failed";
const statusOf = (type: string) => ({ sessionID, status: { type } });

Deno.test("a turn's statuses: busy, retry with its reason, idle", () => {
  let status = sessionStatus({ status: "idle" }, "session.status", { status: { type: "busy" } });
  assert.deepEqual(status, { status: "busy", error: undefined, retry: undefined });
  status = sessionStatus(status, "session.status", {
    status: { type: "retry", attempt: 2, message: "Rate limited" },
  });
  assert.deepEqual(status.retry, { attempt: 2, message: "Rate limited" });
  status = sessionStatus(status, "session.status", { status: { type: "idle" } });
  assert.deepEqual(status, { status: "idle", error: undefined, retry: undefined });
});

Deno.test("after an error, session.idle keeps it; the next turn clears it", () => {
  let status = sessionStatus({ status: "busy" }, "session.error", { error: failed });
  assert.equal(status.status, "error");
  assert.match(status.error!, /Out of credit/);
  status = sessionStatus(status, "session.idle", {});
  assert.equal(status.status, "error");
  assert.match(status.error!, /Out of credit/);
  status = sessionStatus(status, "session.status", { status: { type: "busy" } });
  assert.deepEqual(status, { status: "busy", error: undefined, retry: undefined });
});

Deno.test("other events leave the status as it is", () => {
  const status = { status: "retry" as const, retry: { attempt: 1, message: "x" } };
  assert.deepEqual(sessionStatus(status, "message.updated", {}), { ...status, error: undefined });
});

Deno.test("the server's status index and the browser's store agree after an error and session.idle", () => {
  const index = new StatusIndex();
  const events: HubEvent[] = [
    { directory: "/p", payload: { type: "session.status", properties: statusOf("busy") } },
    {
      directory: "/p",
      payload: { type: "session.error", properties: { sessionID, error: failed } },
    },
    { directory: "/p", payload: { type: "session.idle", properties: { sessionID } } },
  ];
  for (const event of events) {
    index.apply(event);
    processEvent(event);
  }
  flush();
  assert.equal(sessions.value[sessionID].status, "error");
  assert.equal(index.get(sessionID)?.status, "error");
  const next: HubEvent = {
    directory: "/p",
    payload: { type: "session.status", properties: statusOf("busy") },
  };
  index.apply(next);
  processEvent(next);
  flush();
  assert.equal(sessions.value[sessionID].status, "busy");
  assert.equal(index.get(sessionID)?.status, "busy");
});
