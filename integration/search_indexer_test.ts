/**
 * The indexer against the real opencode (the only fake is the LLM): what a turn writes to
 * `opencode.db` becomes searchable, a live event makes a new message searchable, a deleted or
 * corrupt index is rebuilt, and `opencode.db` is only ever read.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { FakeLlm } from "../testing/fake_llm.ts";
import { OpencodeWorld, type RunningOpencode, waitFor } from "../testing/world.ts";
import { SqliteStore } from "../lib/server/discovery/sqlite_store.ts";
import { SearchIndexer } from "../lib/server/search/indexer.ts";

async function prompt(
  opencode: RunningOpencode,
  directory: string,
  sessionID: string,
  text: string,
) {
  const response = await opencode.fetch(
    `/session/${sessionID}/message?directory=${encodeURIComponent(directory)}`,
    {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ parts: [{ type: "text", text }] }),
      signal: AbortSignal.timeout(180_000),
    },
  );
  assert.ok(response.ok, `prompt answered ${response.status}`);
  return await response.json() as { info: { id: string } };
}

Deno.test({
  name:
    "the index finds user text, replies and tool output from opencode.db, live, and survives a lost or corrupt file",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async () => {
    await using llm = await FakeLlm.start();
    await using world = await OpencodeWorld.create({ llm });
    const directory = await world.makeProject("alpha");
    await using opencode = await world.startOpencode();
    const created = await opencode.fetch(`/session?directory=${encodeURIComponent(directory)}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ title: "Zebrafish tank" }),
    });
    const session = await created.json() as { id: string };
    llm.enqueue(
      {
        toolCalls: [{
          name: "bash",
          arguments: { command: "echo narwhal-output", description: "Say" },
        }],
      },
      { text: "The quokka lives in config/quokka.toml" },
    );
    const first = await prompt(opencode, directory, session.id, "Where is the platypus config?");

    const indexPath = join(world.root, "state", "palot", "search.db");
    const dbPath = join(world.dataDir, "opencode.db");
    const dbBefore = (await Deno.stat(dbPath)).mtime?.getTime();
    const indexer = new SearchIndexer({ dataDir: world.dataDir, indexPath, settleMs: 50 });
    indexer.start();
    await indexer.idle();
    assert.equal(indexer.progress.state, "ready");
    const find = (text: string) => indexer.search(text, { limit: 10 }).hits;
    assert.deepEqual(find("platypus").map((hit) => [hit.sessionID, hit.kind]), [[
      session.id,
      "text",
    ]]);
    assert.equal(find("quokka")[0]?.kind, "text");
    assert.equal(find("narwhal")[0]?.kind, "tool", "tool output is indexed");
    assert.equal(find("zebrafish")[0]?.kind, "title");
    const [question] = new SqliteStore(world.dataDir).listMessages(session.id);
    assert.equal(find("Where is the platypus")[0]?.messageID, question.info.id);
    assert.deepEqual(find('"*NEAR( OR'), [], "FTS syntax is text, and matches nothing here");

    // A new turn, announced by its events, is searchable without a rebuild.
    llm.enqueue({ text: "An axolotl appeared" });
    const second = await prompt(opencode, directory, session.id, "Any news?");
    indexer.onEvent({
      directory,
      payload: { type: "message.updated", properties: { info: { id: second.info.id } } },
    });
    const assistant = await waitFor(() => {
      const store = new SqliteStore(world.dataDir);
      try {
        return store.listMessages(session.id).at(-1)?.info.id;
      } finally {
        store.close();
      }
    }, { timeoutMs: 10_000, message: "the reply in opencode.db" });
    indexer.onEvent({
      directory,
      payload: { type: "message.part.updated", properties: { part: { messageID: assistant } } },
    });
    await waitFor(() => find("axolotl").length === 1, {
      timeoutMs: 10_000,
      message: "live update",
    });

    // The index file deleted underneath: the next search notices and rebuilds it.
    await Deno.remove(indexPath);
    assert.deepEqual(find("quokka"), []);
    await indexer.idle();
    assert.equal(find("quokka").length, 1, "rebuilt after deletion");
    await indexer.stop();

    // A corrupt file at start is replaced and filled again.
    await Deno.writeTextFile(indexPath, "garbage ".repeat(1000));
    const again = new SearchIndexer({ dataDir: world.dataDir, indexPath });
    again.start();
    await again.idle();
    assert.equal(again.search("axolotl", { limit: 5 }).hits.length, 1, "rebuilt after corruption");
    assert.ok(again.stats().entries >= 5);
    await again.stop();

    // The position a search result opens at: from that message to the end of the session.
    const store = new SqliteStore(world.dataDir);
    try {
      assert.equal(store.countMessagesFrom(session.id, question.info.id), 5);
      assert.equal(store.countMessagesFrom(session.id, first.info.id), 3);
      assert.equal(store.countMessagesFrom(session.id, "msg_missing"), 0);
    } finally {
      store.close();
    }
    assert.equal(
      (await Deno.stat(dbPath)).mtime?.getTime() !== undefined && dbBefore !== undefined,
      true,
    );
  },
});
