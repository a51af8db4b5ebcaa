/**
 * The streaming benchmark: the real opencode streams one long reply from the scripted fake LLM,
 * one character per chunk, while a session page in Chromium paints it and ten readers of
 * `/api/events` (tabs, as far as the server can tell) receive it. Measures the page's long
 * animation frames (over 50 ms) and longest gap between frames, the events per second that reached
 * the readers, and that none was lost: each reader rebuilds the reply from its deltas and must get
 * exactly the scripted text.
 */

import type { Browser } from "playwright-core";
import { postToOpencode, type RunningPalot } from "../testing/palot.ts";
import type { FakeLlm } from "../testing/fake_llm.ts";
import { waitFor } from "../testing/world.ts";

export interface StreamingFigures {
  /**
   * Deltas opencode sent for the reply: one per character, as the fake LLM streams it (Palot
   * joins those arriving together, so readers count characters, not events).
   */
  deltas: number;
  /** Long animation frames (over 50 ms, as Chromium reports them) while the reply streamed. */
  longFrames: number[];
  /** The longest time between two painted frames (`requestAnimationFrame`) meanwhile. */
  longestGapMs: number;
  /** Deltas (characters) per second received by each reader, first to last (the slowest). */
  deltasPerSecond: number;
}

/**
 * Streams a reply of `characters` one-character deltas into a new session of `directory` and
 * measures the page and the readers.
 *
 * @example
 * ```ts
 * const figures = await streamingFigures(palot, browser, llm, directory, 10_000);
 * ```
 */
export async function streamingFigures(
  palot: RunningPalot,
  browser: Browser,
  llm: FakeLlm,
  directory: string,
  characters: number,
  readers = 10,
): Promise<StreamingFigures> {
  const post = (path: string, body: unknown) => postToOpencode(palot, path, directory, body);
  const session = await post("/session", { title: "Streaming benchmark" });
  // Lines of Markdown, so the page re-renders real Markdown as it grows; ends with a marker.
  const line = "Streaming **bold** and `code` words, one character at a time.\n\n";
  const text = line.repeat(Math.ceil(characters / line.length)).slice(0, characters - 4) + "DONE";

  const context = await browser.newContext();
  const page = await context.newPage();
  const streams = await Promise.all(
    Array.from({ length: readers }, async () => rawReader(await palot.fetch("/api/events"))),
  );
  try {
    await page.goto(`${palot.url}/session/${session.id}`);
    await page.getByRole("status").filter({ hasText: "Connected" }).waitFor({ timeout: 30_000 });
    // The chat is hydrated and its toolbar loaded: measuring starts once the page is idle.
    await page.locator('[role=combobox][aria-label="Agent"]:not([disabled])').waitFor({
      timeout: 30_000,
    });
    await page.evaluate(() => {
      const frames: number[] = [];
      (globalThis as { __frames?: number[] }).__frames = frames;
      const tick = (time: number) => {
        frames.push(time);
        requestAnimationFrame(tick);
      };
      requestAnimationFrame(tick);
      // Long animation frames: the main thread's own frames over 50 ms, with their full length.
      const longFrames: number[] = [];
      (globalThis as { __longFrames?: number[] }).__longFrames = longFrames;
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) longFrames.push(entry.duration);
      }).observe({ type: "long-animation-frame" });
    });
    llm.enqueue({ text, chunkSize: 1 });
    await post(`/session/${session.id}/prompt_async`, {
      parts: [{ type: "text", text: "Stream a long reply" }],
    });
    await page.locator("article.message.assistant").filter({ hasText: "DONE" }).waitFor({
      timeout: 300_000,
    });
    const { frames, longFrames } = await page.evaluate(() => {
      const measured = globalThis as { __frames?: number[]; __longFrames?: number[] };
      return { frames: measured.__frames!, longFrames: measured.__longFrames! };
    });
    // Every reader must have the whole reply: rebuilt from its deltas, in order, nothing missing.
    const received = await waitFor(() => {
      const rebuilt = streams.map((stream) => stream.deltas(session.id));
      return rebuilt.every((deltas) => deltas.text === text) ? rebuilt : undefined;
    }, { timeoutMs: 30_000, message: "every reader to receive the whole reply" }).catch(
      () => {
        const lengths = streams.map((stream) => stream.deltas(session.id).text.length);
        throw new Error(
          `A reader lost deltas: rebuilt ${lengths.join(", ")} of ${text.length} characters`,
        );
      },
    );
    const gaps = frames.slice(1).map((time, i) => time - frames[i]);
    return {
      deltas: text.length,
      longFrames,
      longestGapMs: Math.max(...gaps),
      deltasPerSecond: Math.min(
        ...received.map(({ first, last }) => text.length / ((last - first) / 1000)),
      ),
    };
  } finally {
    await Promise.all(streams.map((stream) => stream.close()));
    await context.close();
    // Deleted as any client would, so the cached fixture is the same for the next run.
    const deleted = await palot.fetch(
      `/api/opencode/session/${session.id}?directory=${encodeURIComponent(directory)}`,
      { method: "DELETE" },
    );
    await deleted.body?.cancel();
  }
}

/**
 * A reader of `/api/events` that only stores what arrives (parsing 10,000 events in ten readers
 * while the reply streams would take CPU from the page being measured); `deltas` parses later.
 */
function rawReader(response: Response) {
  const chunks: { text: string; at: number }[] = [];
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  const done = (async () => {
    try {
      while (true) {
        const { value, done } = await reader.read();
        if (done) break;
        chunks.push({ text: decoder.decode(value, { stream: true }), at: performance.now() });
      }
    } catch { /* cancelled */ }
  })();
  return {
    /** The text deltas of `sessionId`: rebuilt text, first and last arrival. */
    deltas(sessionId: string) {
      let text = "";
      let first = 0;
      let last = 0;
      let carry = "";
      for (const chunk of chunks) {
        const blocks = (carry + chunk.text).split("\n\n");
        carry = blocks.pop()!;
        for (const block of blocks) {
          const data = block.split("\n").find((line) => line.startsWith("data: "));
          if (!data?.includes('"message.part.delta"')) continue;
          const { payload } = JSON.parse(data.slice(6));
          if (payload.properties.sessionID !== sessionId) continue;
          text += payload.properties.delta;
          first ||= chunk.at;
          last = chunk.at;
        }
      }
      return { text, first, last };
    },
    async close() {
      await reader.cancel().catch(() => {});
      await done;
    },
  };
}
