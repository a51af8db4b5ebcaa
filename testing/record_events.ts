/**
 * Records real event sequences from the real opencode (driven by the scripted fake LLM) into
 * `testing/testdata/recorded_events/<scenario>.json`, for the store's tests. Each file holds the events of one
 * scenario as `/api/events` would deliver them, and what `session.messages` and `session.get`
 * returned once the scenario was idle. The world's temporary path is replaced by `/world`.
 *
 * Run: `deno run -A testing/record_events.ts`
 */

import { join } from "node:path";
import { FakeLlm, type ScriptedReply } from "./fake_llm.ts";
import { readSse, type SseMessage } from "./sse.ts";
import { OpencodeWorld, type RunningOpencode, waitFor } from "./world.ts";

const OUT = join(import.meta.dirname!, "testdata", "recorded_events");
/** As in lib/server/events/live.ts: what never reaches tabs. */
const UPSTREAM_ONLY = new Set(["server.heartbeat", "sync"]);

interface Prompt {
  directory: string;
  text: string;
  replies: ScriptedReply[];
}

async function record(
  name: string,
  prompts: Prompt[],
  options: {
    config?: Record<string, unknown>;
    onEvent?: (event: SseMessage["json"], opencode: RunningOpencode) => void;
  } = {},
) {
  await using llm = await FakeLlm.start();
  await using world = await OpencodeWorld.create({ llm, config: options.config });
  const directories = new Map<string, string>();
  for (const prompt of prompts) {
    if (!directories.has(prompt.directory)) {
      directories.set(prompt.directory, await world.makeProject(prompt.directory));
    }
  }
  await using opencode = await world.startOpencode();
  const stream = readSse(await opencode.fetch("/global/event"));
  try {
    await waitFor(() => stream.messages.length > 0, { message: "the event stream" });
    const sessionIds: string[] = [];
    for (const prompt of prompts) {
      const directory = directories.get(prompt.directory)!;
      const client = opencode.client(directory);
      const session = (await client.session.create({ title: `${name} in ${prompt.directory}` }, {
        throwOnError: true,
      })).data;
      sessionIds.push(session.id);
      llm.enqueue(...prompt.replies);
      await client.session.promptAsync(
        { sessionID: session.id, parts: [{ type: "text", text: prompt.text }] },
        { throwOnError: true },
      );
    }
    const handled = new Set<number>();
    await waitFor(() => {
      stream.messages.forEach((message, index) => {
        if (handled.has(index)) return;
        handled.add(index);
        options.onEvent?.(message.json, opencode);
      });
      return sessionIds.every((id) =>
        stream.messages.some((message) =>
          message.json.payload.type === "session.idle" &&
          message.json.payload.properties?.sessionID === id
        )
      );
    }, { timeoutMs: 60_000, message: `${name} to finish` });
    const events = stream.messages.map((message) => message.json)
      .filter((event) => !UPSTREAM_ONLY.has(event.payload.type));
    const messages: Record<string, unknown> = {};
    const sessions: Record<string, unknown> = {};
    for (const [index, id] of sessionIds.entries()) {
      const client = opencode.client(directories.get(prompts[index].directory)!);
      messages[id] =
        (await client.session.messages({ sessionID: id }, { throwOnError: true })).data;
      sessions[id] = (await client.session.get({ sessionID: id }, { throwOnError: true })).data;
    }
    const text = JSON.stringify({ events, messages, sessions }, null, 1).replaceAll(
      world.root,
      "/world",
    );
    await Deno.mkdir(OUT, { recursive: true });
    await Deno.writeTextFile(join(OUT, `${name}.json`), text + "\n");
    console.log(`${name}: ${events.length} events, ${(text.length / 1024).toFixed(0)} KB`);
  } finally {
    await stream.close();
  }
}

const markdown = "# Plan\n\nHere is what I will do:\n\n1. Read the **code**\n2. Write `tests`\n\n" +
  "```ts\nconst answer = 42;\n```\n\n| step | state |\n|---|---|\n| read | done |\n";

await record("streaming", [{
  directory: "alpha",
  text: "Make a plan",
  replies: [{ text: markdown, reasoning: "Thinking about it.", chunkSize: 5 }],
}]);

await record("tool_call", [{
  directory: "alpha",
  text: "Say hi in the shell",
  replies: [
    { toolCalls: [{ name: "bash", arguments: { command: "echo hi", description: "Say hi" } }] },
    { text: "Done: the shell said hi." },
  ],
}]);

await record("permission", [{
  directory: "alpha",
  text: "List the files",
  replies: [
    { toolCalls: [{ name: "bash", arguments: { command: "ls", description: "List files" } }] },
    { text: "Listed." },
  ],
}], {
  config: { permission: { bash: "ask" } },
  onEvent: (event, opencode) => {
    if (event.payload.type !== "permission.asked") return;
    const directory = encodeURIComponent(event.directory);
    opencode.fetch(`/permission/${event.payload.properties!.id}/reply?directory=${directory}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ reply: "once" }),
    }).then((response) => response.body?.cancel());
  },
});

await record("two_directories", [
  {
    directory: "alpha",
    text: "Hello alpha",
    replies: [{ text: "Alpha here, slowly.", chunkSize: 3, chunkDelayMs: 20 }],
  },
  {
    directory: "beta",
    text: "Hello beta",
    replies: [{ text: "Beta answers too.", chunkSize: 3, chunkDelayMs: 20 }],
  },
]);
