import assert from "node:assert/strict";
import { changeFigures } from "./remote_figures.ts";
import { type ApiSession, RemoteCatalog } from "./remote_catalog.ts";

const user = (id: string, diffs: { file: string; additions: number; deletions: number }[]) => ({
  info: { id, role: "user", summary: { diffs } },
});

Deno.test("figures count each file once, and leave out the messages an Undo hides", () => {
  const messages = [
    user("msg_1", [{ file: "a.ts", additions: 3, deletions: 1 }]),
    { info: { id: "msg_2", role: "assistant" } },
    user("msg_3", [
      { file: "a.ts", additions: 2, deletions: 0 },
      { file: "b.ts", additions: 5, deletions: 5 },
    ]),
    user("msg_5", [{ file: "c.ts", additions: 9, deletions: 0 }]),
  ];
  assert.deepEqual(changeFigures(messages), { files: 3, additions: 19, deletions: 6 });
  assert.deepEqual(changeFigures(messages, "msg_5"), { files: 2, additions: 10, deletions: 6 });
  assert.deepEqual(changeFigures(messages, "msg_1"), { files: 0, additions: 0, deletions: 0 });
});

Deno.test("counted figures stand in the catalog until counted again or an Undo sets them aside", () => {
  const catalog = new RemoteCatalog();
  const session = (updated: number, extra: Partial<ApiSession> = {}): ApiSession => ({
    id: "s1",
    projectID: "p1",
    directory: "/w/app",
    time: { created: 1, updated },
    summary: { files: 0, additions: 0, deletions: 0 },
    ...extra,
  });
  const apply = (info: ApiSession) =>
    catalog.apply({
      directory: "/w/app",
      payload: { type: "session.updated", properties: { info } },
    });
  apply(session(10));
  assert.equal(catalog.needsFigures("s1"), true, "OpenCode's figures are zero");
  catalog.setFigures("s1", { files: 2, additions: 7, deletions: 1 });
  assert.equal(catalog.getSession("s1")?.files, 2);
  assert.equal(catalog.listSessions("p1")[0].additions, 7, "pages render what was counted");
  apply(session(11));
  assert.equal(catalog.getSession("s1")?.files, 2, "a later turn: the last count stands");
  apply(session(12, { revert: { messageID: "msg_3" } }));
  assert.equal(catalog.needsFigures("s1"), true, "an Undo: counted again");
  assert.equal(catalog.getSession("s1")?.files, 0, "until then, OpenCode's figures");
  apply(session(13, { summary: { files: 4, additions: 1, deletions: 1 } }));
  assert.equal(catalog.needsFigures("s1"), false, "OpenCode's own figures, without an Undo");
  assert.equal(catalog.getSession("s1")?.files, 4);
  assert.equal(catalog.needsFigures("unknown"), false);
});
