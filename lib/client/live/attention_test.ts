/** What needs the user, read from single events; muted folders; event id order. */

import assert from "node:assert/strict";
import { attentionFor } from "./attention.ts";
import { isNewerId } from "./event_source.ts";
import { sessionHref } from "../../common/remote_paths.ts";
import { DEFAULT_SETTINGS, isMuted } from "./notification_settings.ts";
import { emptyEntry, type SessionEntry, type StoreEvent } from "./state.ts";

const known: Record<string, SessionEntry> = {
  ses_root: { ...emptyEntry("ses_root", "/home/me/beta"), title: "Fix the build" },
  ses_child: { ...emptyEntry("ses_child", "/home/me/beta"), parentID: "ses_root", title: "Sub" },
};
const event = (type: string, properties: Record<string, unknown>): StoreEvent => ({
  directory: "/home/me/beta",
  payload: { type, properties },
});

Deno.test("a finished, failed or asking session needs the user; names project and session", () => {
  assert.deepEqual(attentionFor(event("session.idle", { sessionID: "ses_root" }), known, "1"), {
    id: "1",
    kind: "finished",
    sessionID: "ses_root",
    title: "Fix the build",
    directory: "/home/me/beta",
    project: "beta",
  });
  const failed = attentionFor(
    event("session.error", {
      sessionID: "ses_root",
      error: { name: "APIError", data: { message: "Rate limited" } },
    }),
    known,
  );
  assert.equal(failed?.kind, "failed");
  assert.equal(failed?.detail, "Rate limited");
  // A sub-agent's request opens its parent; its end is part of the parent's turn.
  const asked = attentionFor(event("permission.asked", { sessionID: "ses_child", id: "p" }), known);
  assert.deepEqual([asked?.kind, asked?.sessionID, asked?.title], [
    "permission",
    "ses_root",
    "Fix the build",
  ]);
  assert.equal(
    attentionFor(event("question.asked", { sessionID: "ses_root" }), known)?.kind,
    "question",
  );
  assert.equal(attentionFor(event("session.idle", { sessionID: "ses_child" }), known), undefined);
  // A stop the user asked for, and events that need nobody, are not announced.
  const stopped = event("session.error", {
    sessionID: "ses_root",
    error: { name: "MessageAbortedError" },
  });
  assert.equal(attentionFor(stopped, known), undefined);
  assert.equal(attentionFor(event("session.status", { sessionID: "ses_root" }), known), undefined);
  // A session the tab knew nothing of is still named by its folder.
  const unknown = attentionFor(event("session.idle", { sessionID: "ses_new" }), {});
  assert.deepEqual([unknown?.title, unknown?.project], ["Untitled session", "beta"]);
});

Deno.test("another machine's session needs the user too, and opens on that machine's page", () => {
  const far = { ...known, ses_far: { ...emptyEntry("ses_far", "/srv/app"), title: "Far work" } };
  const finished = attentionFor(
    {
      directory: "/srv/app",
      server: "desk",
      payload: { type: "session.idle", properties: { sessionID: "ses_far" } },
    },
    far,
    "2",
  );
  assert.deepEqual(finished, {
    id: "2",
    kind: "finished",
    sessionID: "ses_far",
    server: "desk",
    title: "Far work",
    directory: "/srv/app",
    project: "app",
  });
  assert.equal(sessionHref(finished!.server, finished!.sessionID), "/s/desk/session/ses_far");
  assert.equal(sessionHref(undefined, "ses_root"), "/session/ses_root");
});

Deno.test("muting a project folder mutes its subfolders, not its namesakes", () => {
  const settings = { ...DEFAULT_SETTINGS, muted: ["/home/me/beta"] };
  assert.equal(isMuted("/home/me/beta", settings), true);
  assert.equal(isMuted("/home/me/beta/packages/x", settings), true);
  assert.equal(isMuted("/home/me/beta-2", settings), false);
});

Deno.test("event ids: a later number, or another epoch, is newer", () => {
  assert.equal(isNewerId("e1:5", "e1:4"), true);
  assert.equal(isNewerId("e1:4", "e1:4"), false);
  assert.equal(isNewerId("e1:10", "e1:9"), true, "compared as numbers");
  assert.equal(isNewerId("e2:1", "e1:900"), true, "Palot restarted");
  assert.equal(isNewerId("e1:1", ""), true);
});
