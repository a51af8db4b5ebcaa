/**
 * The benchmark's measurements beyond page server time: JavaScript shipped per page, the browser
 * store's cost for a burst of deltas, and, with a real Palot process, its opencode and Chromium:
 * start-up to first byte, the home page's first load, opening the long session, a streamed reply
 * (`streaming.ts`), memory with ten tabs open, and `opencode web` beside it (`side_by_side.ts`).
 * Each returns milliseconds, bytes or a rate; `run.ts` prints them.
 */

import { basename, join } from "node:path";
import { launchChromium } from "../e2e/harness.ts";
import { openDiscovery } from "../lib/server/discovery/mod.ts";
import { sleep } from "../lib/server/sleep.ts";
import { flush, processEvent, watchSession } from "../lib/client/live/store.ts";
import { FakeLlm } from "../testing/fake_llm.ts";
import { startPalot } from "../testing/palot.ts";
import { OpencodeWorld, waitFor } from "../testing/world.ts";
import type { Fixture } from "./fixture.ts";
import {
  type FirstLoad,
  firstLoad,
  medianFirstPaint,
  opencodeWebFirstLoad,
  paragraphFirstPaint,
} from "./side_by_side.ts";
import { type StreamingFigures, streamingFigures } from "./streaming.ts";
import { largeDiffLongestFrame } from "./large_diff.ts";
import { largeFileLongestFrame } from "./large_file.ts";

/** Where `deno task build` writes the island bundles. */
export const BUILD = join(import.meta.dirname!, "..", "static", "build");

/** Gzipped bytes of `entries` (paths under `static/build/`) and every chunk they import. */
export async function gzippedBytes(entries: string[]): Promise<number> {
  const seen = new Set<string>();
  const queue = entries.map((entry) => join(BUILD, entry));
  let total = 0;
  while (queue.length) {
    const file = queue.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    const code = await Deno.readFile(file);
    total += await gzippedLength(code);
    const text = new TextDecoder().decode(code);
    for (const match of text.matchAll(/from\s*"([^"]+\.js)"|import\s*"([^"]+\.js)"/g)) {
      queue.push(join(file, "..", match[1] ?? match[2]));
    }
  }
  return total;
}

/** Length of `bytes` once gzipped. */
export async function gzippedLength(bytes: Uint8Array): Promise<number> {
  const compressed = new Response(
    new Blob([bytes as BlobPart]).stream().pipeThrough(new CompressionStream("gzip")),
  );
  return (await compressed.arrayBuffer()).byteLength;
}

/** Milliseconds for the store to take `count` deltas for one part and apply them in one flush. */
export function storeDeltaCost(count: number): number {
  const sessionID = "ses_bench";
  const info = { id: "msg_1", sessionID, role: "assistant" };
  const part = { id: "prt_1", sessionID, messageID: "msg_1", type: "text", text: "" };
  watchSession(sessionID, [{ info, parts: [part] }] as never);
  const start = performance.now();
  for (let i = 0; i < count; i++) {
    processEvent({
      directory: "/bench",
      payload: {
        type: "message.part.delta",
        properties: {
          sessionID,
          messageID: "msg_1",
          partID: "prt_1",
          field: "text",
          delta: "word ",
        },
      },
    });
  }
  flush();
  return performance.now() - start;
}

/** Lines of the diff the large-diff figure opens. */
export const LARGE_DIFF_LINES = 5_000;
/** Lines of the file the large-file figure opens in the session page's pane. */
export const LARGE_FILE_LINES = 20_000;

export interface BrowserFigures {
  firstByteMs: number;
  /** Projects the home page had to show (the fixture's, and any opencode added on start). */
  projectCount: number;
  /** A one-paragraph page's first contentful paint in the same browser: the floor. */
  paragraphFirstPaintMs: number;
  /**
   * Palot's frame alone (its 404 page: the header, a heading, two paragraphs; the same
   * stylesheet and islands as every page, no data): what any Palot page costs to paint here.
   */
  frameFirstPaintMs: number;
  /** Palot's home page on first load. */
  home: FirstLoad;
  /** OpenCode's own web UI on first load, same fixture and browser. */
  opencodeWeb: FirstLoad;
  rssWithTenTabsMb: number;
  /** Palot's memory once the streamed replies are over (ten readers were attached). */
  rssAfterStreamingMb: number;
  /** The longest animation frame while a 5,000-line diff opens and scrolls (median of runs). */
  largeDiffLongestFrameMs: number;
  /** The longest animation frame while a 20,000-line file opens in the pane and scrolls. */
  largeFileLongestFrameMs: number;
  /** Navigation to the long session until its last message is in view, when one was given. */
  openLongSessionMs?: number;
  /** Medians over the streamed replies (up to three). */
  streaming: {
    deltas: number;
    longFrameCount: number;
    longestGapMs: number;
    deltasPerSecond: number;
  };
}

export interface BrowserFigureOptions {
  runs: number;
  /** The fixture's 1,000-message session, to open. */
  longSessionId?: string;
  /** Characters (one delta each) of the streamed reply. */
  streamCharacters: number;
  /** Wait for the processes to go quiet before each timed step (off for a smoke run). */
  settle: boolean;
}

/**
 * Starts a real Palot (and its opencode) on the fixture and measures it from outside with
 * Chromium; then `opencode web` on the same fixture, for the side-by-side.
 */
export async function browserFigures(
  fixture: Fixture,
  { runs, longSessionId, streamCharacters, settle }: BrowserFigureOptions,
): Promise<BrowserFigures> {
  await using llm = await FakeLlm.start();
  // Reopened with the fake LLM as its provider, so the streaming figure has a model to call.
  const world = await OpencodeWorld.open(fixture.root, { llm });
  const firstBytes: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    const palot = await startPalot(world, { args: ["--data-dir", world.dataDir] });
    try {
      const response = await palot.fetch("/");
      const reader = response.body!.getReader();
      await reader.read();
      firstBytes.push(performance.now() - started);
      await reader.cancel();
    } finally {
      await palot.stop();
    }
  }
  const discovery = openDiscovery(world.dataDir);
  const projectNames = discovery.listProjects().map((project) => basename(project.worktree));
  discovery.close();
  const browser = await launchChromium();
  try {
    const palot = await startPalot(world, { args: ["--data-dir", world.dataDir] });
    try {
      // Paint is measured in the steady state: after reporting ready, opencode keeps a core busy
      // for a while (plugins, models), and a page measured then is measured against it.
      const opencodePid = await waitFor(
        async () => {
          const status = await (await palot.fetch("/api/opencode")).json();
          return status.status === "ready" ? status.pid as number : undefined;
        },
        { timeoutMs: 60_000, message: "OpenCode ready" },
      );
      if (settle) await waitForQuiet([opencodePid, palot.process.pid]);
      await (await browser.newPage()).close(); // the browser's own first-page start-up, untimed
      const paragraphFirstPaintMs = await paragraphFirstPaint(browser, runs);
      const frameFirstPaintMs = await medianFirstPaint(browser, `${palot.url}/no-such-page`, runs);
      const home = await firstLoad(browser, palot.url, projectNames, runs);
      const opens: number[] = [];
      for (let i = 0; longSessionId && i < runs; i++) {
        const context = await browser.newContext();
        const page = await context.newPage();
        await page.goto(`${palot.url}/session/${longSessionId}`, { waitUntil: "commit" });
        opens.push(
          await page.evaluate(() =>
            new Promise<number>((resolve) => {
              // The fixture's last reply is "Reply 499: …"; it must be on screen (NaN after 30 s).
              setTimeout(() => resolve(Number.NaN), 30_000);
              const check = () => {
                const messages = document.querySelectorAll(".message");
                const last = messages[messages.length - 1];
                const box = last?.getBoundingClientRect();
                const inView = box && box.top < innerHeight && box.bottom > 0;
                if (last?.textContent?.includes("Reply 499") && inView) resolve(performance.now());
                else requestAnimationFrame(check);
              };
              check();
            })
          ),
        );
        await context.close();
      }
      // Ten tabs, each in its own context: a browser allows six open connections per host and
      // profile, and each Palot tab holds one for its event stream.
      const contexts = await Promise.all(Array.from({ length: 10 }, () => browser.newContext()));
      for (const context of contexts) await (await context.newPage()).goto(palot.url);
      await sleep(2000);
      const rssWithTenTabsMb = await rssMb(palot.process.pid);
      await Promise.all(contexts.map((context) => context.close()));
      const streamingProject = join(fixture.root, "projects", "long-session");
      try {
        await Deno.stat(streamingProject);
      } catch {
        await world.makeProject("long-session");
      }
      const streams: StreamingFigures[] = [];
      for (let i = 0; i < Math.min(runs, 3); i++) {
        if (settle) await waitForQuiet([opencodePid, palot.process.pid]);
        streams.push(
          await streamingFigures(palot, browser, llm, streamingProject, streamCharacters),
        );
      }
      const rssAfterStreamingMb = await rssMb(palot.process.pid);
      const largeDiffFrames: number[] = [];
      for (let i = 0; i < Math.min(runs, 3); i++) {
        if (settle) await waitForQuiet([opencodePid, palot.process.pid]);
        largeDiffFrames.push(
          await largeDiffLongestFrame(palot, browser, streamingProject, LARGE_DIFF_LINES),
        );
      }
      const largeFileFrames: number[] = [];
      for (let i = 0; i < Math.min(runs, 3); i++) {
        if (settle) await waitForQuiet([opencodePid, palot.process.pid]);
        largeFileFrames.push(
          await largeFileLongestFrame(palot, browser, streamingProject, LARGE_FILE_LINES),
        );
      }
      // Stopped before `opencode web` starts, so that one is measured on a machine as quiet.
      await palot.stop();
      const opencodeWeb = await opencodeWebFirstLoad(world, browser, projectNames, {
        runs,
        settle,
      });
      return {
        firstByteMs: median(firstBytes),
        projectCount: projectNames.length,
        paragraphFirstPaintMs,
        frameFirstPaintMs,
        home,
        opencodeWeb,
        rssWithTenTabsMb,
        rssAfterStreamingMb,
        largeDiffLongestFrameMs: median(largeDiffFrames),
        largeFileLongestFrameMs: median(largeFileFrames),
        openLongSessionMs: opens.length ? median(opens) : undefined,
        streaming: {
          deltas: streams[0].deltas,
          longFrameCount: median(streams.map((stream) => stream.longFrames.length)),
          longestGapMs: median(streams.map((stream) => stream.longestGapMs)),
          deltasPerSecond: median(streams.map((stream) => stream.deltasPerSecond)),
        },
      };
    } finally {
      await palot.stop();
    }
  } finally {
    await browser.close();
  }
}

/**
 * Waits until the processes `pids` together used under 5 % of one core for a whole second (at
 * most 60 s; Linux `/proc` only, elsewhere it returns at once).
 */
export async function waitForQuiet(pids: number[]): Promise<void> {
  const cpuTicks = () =>
    pids.reduce((sum, pid) => {
      const stat = Deno.readTextFileSync(`/proc/${pid}/stat`);
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      return sum + Number(fields[11]) + Number(fields[12]); // utime + stime, in 1/100 s
    }, 0);
  let before: number;
  try {
    before = cpuTicks();
  } catch {
    return;
  }
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    await sleep(1000);
    const now = cpuTicks();
    if (now - before < 5) return;
    before = now;
  }
}

/** Resident memory of process `pid` (`startPalot` runs `deno run main.ts`: the server itself). */
export async function rssMb(pid: number): Promise<number> {
  const status = await Deno.readTextFile(`/proc/${pid}/status`);
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1]) / 1024;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}
