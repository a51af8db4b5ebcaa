/**
 * The benchmark's measurements beyond page server time: JavaScript shipped per page, the browser
 * store's cost for a burst of deltas, the event hub's throughput to ten tabs, and, with a real
 * Palot process and Chromium, start-up to first byte, first contentful paint and memory with ten
 * tabs open. Each returns milliseconds, bytes or a rate; `run.ts` prints them.
 */

import { join } from "node:path";
import { EventHub, type HubEvent } from "../lib/events/hub.ts";
import { flush, processEvent, watchSession } from "../lib/store/store.ts";
import { launchChromium } from "../e2e/harness.ts";
import { startPalot } from "../testing/palot.ts";
import { type OpencodeWorld, waitFor } from "../testing/world.ts";

const BUILD = join(import.meta.dirname!, "..", "static", "build");

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
    const compressed = new Response(
      new Blob([code]).stream().pipeThrough(new CompressionStream("gzip")),
    );
    total += (await compressed.arrayBuffer()).byteLength;
    const text = new TextDecoder().decode(code);
    for (const match of text.matchAll(/from\s*"([^"]+\.js)"|import\s*"([^"]+\.js)"/g)) {
      queue.push(join(file, "..", match[1] ?? match[2]));
    }
  }
  return total;
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

/** Events per second published through the hub to `tabs` subscribers that format SSE like `/api/events`. */
export function hubThroughput(events: number, tabs: number): number {
  const hub = new EventHub();
  const encoder = new TextEncoder();
  let bytes = 0;
  for (let i = 0; i < tabs; i++) {
    hub.subscribe(({ id, event }) => {
      bytes += encoder.encode(`id: x:${id}\ndata: ${JSON.stringify(event)}\n\n`).byteLength;
    });
  }
  const event: HubEvent = {
    directory: "/bench/project",
    payload: {
      type: "message.part.delta",
      properties: {
        sessionID: "ses_1",
        messageID: "msg_1",
        partID: "prt_1",
        field: "text",
        delta: "word ",
      },
    },
  };
  const start = performance.now();
  for (let i = 0; i < events; i++) hub.publish(event);
  const seconds = (performance.now() - start) / 1000;
  if (bytes === 0) throw new Error("No event reached a tab");
  return events / seconds;
}

export interface BrowserFigures {
  firstByteMs: number;
  firstContentfulPaintMs: number;
  rssWithTenTabsMb: number;
  /** Navigation to the long session until its last message is in view, when one was given. */
  openLongSessionMs?: number;
}

/** Starts a real Palot on the fixture and measures it from outside, with Chromium. */
export async function browserFigures(
  world: OpencodeWorld,
  runs: number,
  longSessionId?: string,
): Promise<BrowserFigures> {
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
  const palot = await startPalot(world, { args: ["--data-dir", world.dataDir] });
  const browser = await launchChromium();
  try {
    // Paint is measured in the steady state: after reporting ready, opencode keeps a core busy
    // for about ten seconds on this machine (plugins, models), and a page measured then is
    // measured against it.
    const opencodePid = await waitFor(
      async () => {
        const status = await (await palot.fetch("/api/opencode")).json();
        return status.status === "ready" ? status.pid as number : undefined;
      },
      { timeoutMs: 60_000, message: "OpenCode ready" },
    );
    await waitForQuiet([opencodePid, palot.process.pid]);
    await (await browser.newPage()).close();
    const paints: number[] = [];
    for (let i = 0; i < runs; i++) {
      const context = await browser.newContext();
      const page = await context.newPage();
      await page.goto(palot.url, { waitUntil: "load" });
      paints.push(
        await page.evaluate(() =>
          new Promise<number>((resolve) => {
            const entry = performance.getEntriesByName("first-contentful-paint")[0];
            if (entry) return resolve(entry.startTime);
            new PerformanceObserver((list) => resolve(list.getEntries()[0].startTime)).observe({
              type: "paint",
              buffered: true,
            });
          })
        ),
      );
      await context.close();
    }
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
    await new Promise((resolve) => setTimeout(resolve, 2000));
    // startPalot runs `deno run main.ts` itself, so its process is the server.
    const rssKb = Number(
      /VmRSS:\s+(\d+)/.exec(await Deno.readTextFile(`/proc/${palot.process.pid}/status`))?.[1],
    );
    await Promise.all(contexts.map((context) => context.close()));
    return {
      firstByteMs: median(firstBytes),
      firstContentfulPaintMs: median(paints),
      rssWithTenTabsMb: rssKb / 1024,
      openLongSessionMs: opens.length ? median(opens) : undefined,
    };
  } finally {
    await browser.close();
    await palot.stop();
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
  try {
    cpuTicks();
  } catch {
    return;
  }
  const deadline = Date.now() + 60_000;
  let before = cpuTicks();
  while (Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const now = cpuTicks();
    if (now - before < 5) return;
    before = now;
  }
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}
