import assert from "node:assert/strict";
import { type ApiSession, RemoteCatalog } from "./remote_catalog.ts";
import { globalProjectId } from "../../common/discovery_types.ts";

const session = (id: string, updated: number, extra: Partial<ApiSession> = {}): ApiSession => ({
  id,
  projectID: "p1",
  directory: "/w/app",
  title: id,
  time: { created: updated, updated },
  ...extra,
});

Deno.test("the catalog pages through every session, then follows events", async () => {
  const all = Array.from({ length: 1_234 }, (_, n) => session(`s${n}`, 10_000 - n));
  const asked: string[] = [];
  const catalog = new RemoteCatalog();
  await catalog.load((path) => {
    asked.push(path);
    if (path === "/project") {
      return Promise.resolve({
        body: [{ id: "p1", worktree: "/w/app", vcs: "git", time: { updated: 1 } }],
        headers: new Headers(),
      });
    }
    const cursor = Number(new URLSearchParams(path.split("?")[1]).get("cursor") ?? Infinity);
    const page = all.filter((item) => item.time.updated < cursor).slice(0, 500);
    const headers = new Headers(
      page.length ? { "x-next-cursor": String(page.at(-1)!.time.updated) } : {},
    );
    return Promise.resolve({ body: page, headers });
  });
  assert.equal(asked.filter((path) => path.startsWith("/experimental/session")).length, 4);
  const [project] = catalog.listProjects();
  assert.equal(project.sessionCount, 1_234, "no cap");
  assert.equal(project.lastActivity, 10_000);
  assert.equal(catalog.listSessions("p1")[0].id, "s0");

  catalog.apply({
    directory: "/w/app",
    payload: { type: "session.created", properties: { info: session("new", 20_000) } },
  });
  catalog.apply({
    directory: "/w/app",
    payload: {
      type: "session.created",
      properties: { info: session("child", 20_001, { parentID: "new" }) },
    },
  });
  catalog.apply({
    directory: "/tmp/notes",
    payload: {
      type: "session.created",
      properties: { info: session("loose", 5, { projectID: "global", directory: "/tmp/notes" }) },
    },
  });
  assert.equal(catalog.getSession("new")?.childCount, 1);
  assert.equal(catalog.listProjects()[0].sessionCount, 1_235, "sub-agent sessions are not counted");
  assert.ok(catalog.getProject(globalProjectId("/tmp/notes")), "a global folder is a project");
  catalog.apply({
    directory: "/w/app",
    payload: { type: "session.deleted", properties: { info: session("new", 20_000) } },
  });
  assert.equal(catalog.getSession("new"), undefined);
});
