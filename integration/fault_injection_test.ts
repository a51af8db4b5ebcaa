/**
 * Fault injection against a real Palot process and the real opencode (the LLM is the scripted
 * fake): what the user sees, and what is kept, when things go wrong. One world and one Palot are
 * shared by the steps that need opencode, so the suite costs a few opencode starts.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { isAlive } from "../lib/server/opencode/supervisor/process.ts";
import { appOver } from "../testing/app_over.ts";
import { FakeLlm } from "../testing/fake_llm.ts";
import { postToOpencode, type RunningPalot, startPalot } from "../testing/palot.ts";
import { readSse, type SseReader } from "../testing/sse.ts";
import { copyFirstMessage } from "../testing/copy_messages.ts";
import { freePort, OpencodeWorld, waitFor } from "../testing/world.ts";

const OPENCODE = { timeoutMs: 180_000 };

async function opencodeStatus(palot: RunningPalot) {
  return await (await palot.fetch("/api/opencode")).json() as { status: string; pid: number };
}

/** Waits until Palot reports a ready opencode other than `not`; resolves its pid. */
async function readyOpencode(palot: RunningPalot, not?: number): Promise<number> {
  return await waitFor(async () => {
    const { status, pid } = await opencodeStatus(palot);
    return status === "ready" && pid !== not ? pid : undefined;
  }, { ...OPENCODE, message: "a ready opencode behind Palot" });
}

function rssMb(pid: number): number {
  return Number(/VmRSS:\s+(\d+)/.exec(Deno.readTextFileSync(`/proc/${pid}/status`))?.[1]) / 1024;
}

const types = (reader: SseReader) => reader.messages.map((message) => message.json.payload.type);
const idleFor = (reader: SseReader, sessionID: string) =>
  reader.messages.some((message) =>
    message.json.payload.type === "session.idle" &&
    message.json.payload.properties?.sessionID === sessionID
  );

Deno.test("fault injection: opencode and Palot killed or frozen, big outputs, many and slow tabs", async (t) => {
  await using llm = await FakeLlm.start();
  await using world = await OpencodeWorld.create({ llm });
  const alpha = await world.makeProject("alpha");
  const opencodePort = freePort();
  let palot = await startPalot(world, { opencodePort });
  /** A step whose failure shows the end of Palot's log. */
  const step = (name: string, fn: () => Promise<void>) =>
    t.step(name, async () => {
      try {
        await fn();
      } catch (error) {
        throw new Error(
          `${(error as Error).message}\nPalot's log:\n${palot.logs.slice(-30).join("\n")}`,
        );
      }
    });
  try {
    await runSteps();
  } finally {
    await palot.stop();
  }
  async function runSteps() {
    let pid = await readyOpencode(palot);
    const session = await postToOpencode(palot, "/session", alpha, { title: "Faults" });
    const prompt = (text: string) =>
      postToOpencode(palot, `/session/${session.id}/prompt_async`, alpha, {
        parts: [{ type: "text", text }],
      });

    await step(
      "50 tabs and one that never reads; a 10 MB tool output and a 1 MB reply",
      async () => {
        // The user sees: every tab streams the turn to its end; the tool card shows OpenCode's
        // truncated output. Kept: the whole turn, on disk. Palot's memory stays bounded although
        // one tab reads nothing (a tab 8 MB behind is cut off: routes/api/events_test.ts; this
        // turn's events come to about 2 MB a tab, so here it is only held).
        const tabs = await Promise.all(
          Array.from({ length: 50 }, async () => readSse(await palot.fetch("/api/events"))),
        );
        const slow = await palot.fetch("/api/events");
        const before = rssMb(palot.process.pid);
        llm.enqueue(
          {
            toolCalls: [{
              name: "bash",
              arguments: {
                command: "head -c 10485760 /dev/zero | tr '\\0' x",
                description: "Print 10 MB",
              },
            }],
          },
          { text: "y".repeat(1024 * 1024), chunkSize: 64 * 1024 },
        );
        await prompt("Make a lot of output");
        try {
          await waitFor(() => tabs.every((tab) => idleFor(tab, session.id)), {
            ...OPENCODE,
            message: "every tab to see the turn end",
          });
          // What Palot holds, not what it has yet to give back: the buffers the tabs have read are
          // freed when V8 next collects, so the growth is sampled for a while and the least kept.
          // Only a gross bound against a leak: measured at the turn's end it was 34 MB, or 120–138
          // MB by when V8 had collected, on unchanged code (a bound of 120 failed a CI run).
          let grown = rssMb(palot.process.pid) - before;
          for (let sample = 0; sample < 40 && grown >= 200; sample++) {
            await new Promise((resolve) => setTimeout(resolve, 250));
            grown = Math.min(grown, rssMb(palot.process.pid) - before);
          }
          assert.ok(
            grown < 200,
            `Palot grew by ${grown.toFixed(0)} MB with a tab that never reads`,
          );
          const messages = await (await palot.fetch(
            `/api/opencode/session/${session.id}/message?directory=${encodeURIComponent(alpha)}`,
          )).json();
          const parts = messages.flatMap((message: { parts: unknown[] }) => message.parts);
          const tool = parts.find((part: { type: string }) => part.type === "tool");
          assert.equal(tool.state.status, "completed");
          assert.ok(tool.state.output.length < 10_485_760, "OpenCode truncated the tool output");
          const text = parts.find((part: { type: string; text?: string }) =>
            part.type === "text" && part.text?.startsWith("yyy")
          );
          assert.equal(text.text.length, 1024 * 1024, "the whole reply is kept");
          const page = await palot.fetch(`/session/${session.id}`);
          assert.equal(page.status, 200);
          await page.body?.cancel();
        } finally {
          await Promise.all(tabs.map((tab) => tab.close()));
          await slow.body?.cancel();
        }
      },
    );

    await step("opencode SIGKILLed mid-stream", async () => {
      // The user sees: "Reconnecting…", then "Connected" and a resync; the reply stops where
      // OpenCode died. Kept: the prompt and what was written before the kill.
      const tab = readSse(await palot.fetch("/api/events"));
      llm.enqueue({ text: "z".repeat(4000), chunkSize: 10, chunkDelayMs: 20 });
      await prompt("Stream slowly");
      await waitFor(() => tab.messages.some((m) => m.json.payload.type === "message.part.delta"), {
        ...OPENCODE,
        message: "the reply to start streaming",
      });
      Deno.kill(pid, "SIGKILL");
      pid = await readyOpencode(palot, pid);
      await waitFor(() => types(tab).includes("palot.resync"), { ...OPENCODE, message: "resync" });
      const connection = tab.messages.filter((m) => m.json.payload.type === "palot.connection")
        .map((m) => m.json.payload.properties?.connected);
      assert.deepEqual(connection.slice(-2), [false, true]);
      await tab.close();
      const page = await (await palot.fetch(`/session/${session.id}`)).text();
      assert.match(page, /Stream slowly/, "the prompt is kept");
      llm.clear();
    });

    await step("opencode frozen (SIGSTOP): accepts connections, never answers", async () => {
      // The user sees: pages keep loading from disk at once; the indicator reconnects once the
      // frozen server is replaced. Kept: everything (it was idle).
      Deno.kill(pid, "SIGSTOP");
      const page = await palot.fetch(`/session/${session.id}`, {
        signal: AbortSignal.timeout(10_000),
      });
      assert.equal(page.status, 200, "a page does not wait for OpenCode");
      await page.body?.cancel();
      pid = await readyOpencode(palot, pid);
      assert.ok(isAlive(pid));
    });

    await step("Palot SIGKILLed while streaming, then restarted", async () => {
      // The user sees: the tab reconnects by itself, is told to resync, and the reply is there.
      // Kept: OpenCode (adopted, not restarted) and the turn, which finished meanwhile.
      const tab = readSse(await palot.fetch("/api/events"));
      llm.enqueue({
        text: "Survived the restart. " + "w".repeat(2000),
        chunkSize: 20,
        chunkDelayMs: 10,
      });
      await prompt("Keep going while Palot restarts");
      // Killed once the turn is under way (busy), whether or not text has arrived yet.
      await waitFor(() =>
        tab.messages.some((m) =>
          m.json.payload.type === "session.status" &&
          m.json.payload.properties?.sessionID === session.id
        ), { ...OPENCODE, message: "the turn to start" });
      const lastId = tab.messages.findLast((m) => m.id)?.id;
      const running = (await opencodeStatus(palot)).pid;
      await palot.stop("SIGKILL");
      await tab.close();
      palot = await startPalot(world, { opencodePort });
      assert.equal(await readyOpencode(palot), running, "the same opencode was adopted");
      const resumed = readSse(
        await palot.fetch("/api/events", { headers: { "last-event-id": lastId ?? "" } }),
      );
      try {
        await waitFor(() => types(resumed).includes("palot.resync"), { message: "a resync" });
        await waitFor(async () => {
          const page = await (await palot.fetch(`/session/${session.id}`)).text();
          return page.includes("Survived the restart.");
        }, { ...OPENCODE, message: "the finished reply on the page" });
      } finally {
        await resumed.close();
      }
    });
  }

  await t.step("5,000 messages, then a locked and a corrupt opencode.db", async () => {
    // A copy of the world's storage, its messages multiplied as opencode wrote them.
    const copy = await Deno.makeTempDir({ prefix: "palot-faults-" });
    try {
      const db = new DatabaseSync(join(world.dataDir, "opencode.db"));
      db.exec(`VACUUM INTO '${join(copy, "opencode.db")}'`);
      db.close();
      const writer = new DatabaseSync(join(copy, "opencode.db"));
      writer.exec(`PRAGMA journal_mode = WAL`);
      const { id: sessionId } = writer.prepare(
        "SELECT session_id AS id FROM message GROUP BY session_id ORDER BY COUNT(*) DESC LIMIT 1",
      ).get() as { id: string };
      copyFirstMessage(writer, sessionId, 5_000, "msg_clone_");

      // The user sees: the latest 250 messages at once, a link to more; ?all=1 the latest 2,000.
      {
        using app = appOver(copy);
        const page = await (await app.fetch(`/session/${sessionId}`)).text();
        assert.match(page, /Show the whole history/);
        const all = await (await app.fetch(`/session/${sessionId}?all=1`)).text();
        assert.match(all, /The latest 2,000 messages are shown/);
      }

      // Locked by a writer: a page answers (busy: reload in a moment, no stack trace) instead of
      // hanging.
      writer.exec("PRAGMA locking_mode = EXCLUSIVE; BEGIN EXCLUSIVE; DELETE FROM message WHERE 0;");
      {
        using app = appOver(copy);
        const response = await app.fetch("/");
        const text = await response.text();
        assert.ok([200, 503].includes(response.status), `status ${response.status}`);
        if (response.status === 503) assert.match(text, /Reload the page in a moment/);
        assert.doesNotMatch(text, /\n\s+at /, "no stack trace");
      }
      writer.exec("COMMIT");
      writer.close();

      // Corrupt: the pages say so, with no stack trace; nothing is written.
      await Deno.writeTextFile(join(copy, "opencode.db"), "not a database ".repeat(100));
      await Deno.remove(join(copy, "opencode.db-wal")).catch(() => {});
      await Deno.remove(join(copy, "opencode.db-shm")).catch(() => {});
      {
        using app = appOver(copy);
        const response = await app.fetch("/");
        assert.equal(response.status, 500);
        assert.doesNotMatch(await response.text(), /\n\s+at /, "no stack trace");
      }
      assert.equal(
        await Deno.readTextFile(join(copy, "opencode.db")),
        "not a database ".repeat(100),
      );
    } finally {
      await Deno.remove(copy, { recursive: true });
    }
  });
});
