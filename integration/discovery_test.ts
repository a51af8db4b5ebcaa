/**
 * Discovery against storage written by the real opencode (sessions created and prompted through
 * its HTTP API with the scripted fake LLM), while it runs and after.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { FakeLlm } from "../testing/fake_llm.ts";
import { OpencodeWorld } from "../testing/world.ts";
import {
  globalProjectDirectory,
  globalProjectId,
  openDiscovery,
  SqliteStore,
} from "../lib/server/discovery/mod.ts";

async function fileStamp(path: string): Promise<string> {
  const info = await Deno.stat(path).catch(() => undefined);
  if (!info) return "absent";
  return `${info.size}:${info.mtime?.getTime()}:${await sha256(path)}`;
}

async function sha256(path: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", await Deno.readFile(path));
  return Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, "0")).join("");
}

Deno.test("discovery reads what the real opencode wrote, while it runs and after", async (t) => {
  await using llm = await FakeLlm.start();
  await using world = await OpencodeWorld.create({ llm });
  const alpha = await world.makeProject("alpha");
  const beta = await world.makeProject("beta");
  const scratchOne = await world.makeProject("scratch-one", { git: false });
  const scratchTwo = await world.makeProject("scratch-two", { git: false });
  const opencode = await world.startOpencode();

  const create = async (directory: string, body: { title?: string; parentID?: string } = {}) =>
    (await opencode.client(directory).session.create(body, { throwOnError: true })).data;
  const alphaSessions: { id: string }[] = [];
  for (let i = 0; i < 3; i++) alphaSessions.push(await create(alpha, { title: `Alpha ${i}` }));
  const child = await create(alpha, { title: "Alpha child", parentID: alphaSessions[0].id });
  const archived = await create(alpha, { title: "Alpha archived" });
  await opencode.client(alpha).session.update(
    { sessionID: archived.id, time: { archived: Date.now() } },
    { throwOnError: true },
  );
  const prompted = await create(beta, { title: "Beta prompted" });
  llm.enqueue({ text: "Here is **the answer**." });
  await opencode.client(beta).session.prompt(
    { sessionID: prompted.id, parts: [{ type: "text", text: "What is the answer?" }] },
    { throwOnError: true },
  );
  await create(scratchOne, { title: "Scratch one" });
  await create(scratchTwo, { title: "Scratch two a" });
  await create(scratchTwo, { title: "Scratch two b" });

  const discovery = openDiscovery(world.dataDir);
  try {
    await t.step("lists every project with its name, path and root session count", () => {
      assert.equal(discovery.kind, "sqlite");
      const projects = discovery.listProjects();
      const byName = Object.fromEntries(projects.map((project) => [project.name, project]));
      assert.deepEqual(Object.keys(byName).sort(), ["alpha", "beta", "scratch-one", "scratch-two"]);
      assert.equal(byName.alpha.worktree, alpha);
      assert.equal(byName.alpha.vcs, "git");
      assert.equal(
        byName.alpha.sessionCount,
        3,
        "the child and the archived session are not counted",
      );
      assert.equal(byName.beta.sessionCount, 1);
      assert.equal(byName["scratch-two"].sessionCount, 2);
      assert.equal(byName["scratch-two"].worktree, scratchTwo);
      assert.equal(byName["scratch-two"].id, globalProjectId(scratchTwo));
      assert.equal(globalProjectDirectory(byName["scratch-two"].id), scratchTwo);
      assert.equal(projects[0].name, "scratch-two", "sorted by last activity");
      for (let i = 1; i < projects.length; i++) {
        assert.ok(projects[i - 1].lastActivity >= projects[i].lastActivity);
      }
    });

    await t.step("lists root sessions newest first; children and archived apart", () => {
      const project = discovery.listProjects().find((project) => project.name === "alpha")!;
      const { sessions, hasMore } = discovery.listSessions(project.id);
      assert.deepEqual(sessions.map((session) => session.title), ["Alpha 2", "Alpha 1", "Alpha 0"]);
      assert.equal(hasMore, false);
      assert.equal(sessions[2].childCount, 1);
      assert.equal(sessions[2].projectID, project.id);
      assert.deepEqual(discovery.listChildren(alphaSessions[0].id).map((session) => session.id), [
        child.id,
      ]);
      const withArchived = discovery.listSessions(project.id, { archived: true }).sessions;
      assert.ok(withArchived.some((session) => session.id === archived.id && session.archived));
      const first = discovery.listSessions(project.id, { limit: 2 });
      assert.equal(first.sessions.length, 2);
      assert.equal(first.hasMore, true);
      const second = discovery.listSessions(project.id, { limit: 2, offset: 2 });
      assert.deepEqual(second.sessions.map((session) => session.title), ["Alpha 0"]);
      assert.equal(second.hasMore, false);
      assert.equal(discovery.getSession(child.id)?.parentID, alphaSessions[0].id);
    });

    await t.step("splits the global project by folder", () => {
      const id = globalProjectId(scratchTwo);
      assert.equal(discovery.getProject(id)?.name, "scratch-two");
      const titles = discovery.listSessions(id).sessions.map((session) => session.title);
      assert.deepEqual(titles, ["Scratch two b", "Scratch two a"]);
      assert.equal(discovery.getProject("global"), undefined);
      assert.equal(discovery.getProject(globalProjectId("/no/such/folder")), undefined);
    });

    await t.step("reads messages exactly as the API returns them", async () => {
      const fromApi = (await opencode.client(beta).session.messages(
        { sessionID: prompted.id },
        { throwOnError: true },
      )).data;
      const fromDisk = discovery.listMessages(prompted.id);
      assert.deepEqual(fromDisk, JSON.parse(JSON.stringify(fromApi)));
      const texts = fromDisk.flatMap((message) =>
        message.parts.filter((part) => part.type === "text").map((part) => part.text)
      );
      assert.deepEqual(texts, ["What is the answer?", "Here is **the answer**."]);
      const latest = discovery.listMessages(prompted.id, { limit: 1 });
      assert.deepEqual(latest, fromDisk.slice(-1));
    });

    await t.step(
      "lists a project's own prompts, newest first, for the composer's history",
      async () => {
        llm.enqueue({ text: "Again." });
        await opencode.client(beta).session.prompt(
          { sessionID: prompted.id, parts: [{ type: "text", text: "And the question?" }] },
          { throwOnError: true },
        );
        const betaId = discovery.listProjects().find((project) => project.name === "beta")!.id;
        assert.deepEqual(discovery.listPrompts(betaId), [
          "And the question?",
          "What is the answer?",
        ]);
        assert.deepEqual(discovery.listPrompts(betaId, { limit: 1 }), ["And the question?"]);
        const alphaId = discovery.listProjects().find((project) => project.name === "alpha")!.id;
        assert.deepEqual(
          discovery.listPrompts(alphaId),
          [],
          "another project's prompts stay there",
        );
        assert.deepEqual(discovery.listPrompts(globalProjectId(scratchOne)), []);
      },
    );

    await t.step("unknown ids are undefined, and ids are never SQL", () => {
      for (const id of ["nope", "' OR 1=1 --", "global", "global:!!"]) {
        assert.equal(discovery.getProject(id), undefined, id);
        assert.equal(discovery.getSession(id), undefined, id);
        assert.deepEqual(discovery.listSessions(id).sessions, [], id);
        assert.deepEqual(discovery.listMessages(id), [], id);
      }
    });

    await t.step("reads while opencode writes", async () => {
      const writes = (async () => {
        for (let i = 0; i < 25; i++) await create(beta, { title: `Concurrent ${i}` });
      })();
      let reads = 0;
      let done = false;
      writes.finally(() => done = true);
      while (!done) {
        const beta = discovery.listProjects().find((project) => project.name === "beta")!;
        discovery.listSessions(beta.id, { limit: 10 });
        reads++;
        await new Promise((resolve) => setTimeout(resolve, 1));
      }
      await writes;
      assert.ok(reads > 1);
      const betaProject = discovery.listProjects().find((project) => project.name === "beta")!;
      assert.equal(betaProject.sessionCount, 26, "the cached list follows new commits");
      assert.deepEqual(
        discovery.recentDirectories(0).sort(),
        [alpha, beta, scratchOne, scratchTwo].sort(),
      );
    });
  } finally {
    discovery.close();
  }

  await t.step("never changes the database or its log", async () => {
    await opencode.stop();
    // The -shm file is SQLite's shared-memory index, which every reader updates by design.
    const files = ["opencode.db", "opencode.db-wal"].map((name) => join(world.dataDir, name));
    const before = await Promise.all(files.map(fileStamp));
    const store = new SqliteStore(world.dataDir);
    for (const project of store.listProjects()) {
      for (const session of store.listSessions(project.id, { archived: true }).sessions) {
        store.listMessages(session.id);
      }
    }
    store.close();
    assert.deepEqual(await Promise.all(files.map(fileStamp)), before);
  });
});
