/**
 * The side-by-side: Palot's home page and OpenCode's own web UI (`opencode web`, from the same
 * pinned npm package) on the same fixture, in the same Chromium, in one run. For each: the first
 * contentful paint, the JavaScript it loads on first load (gzipped), and how many of the
 * fixture's projects its first screen names once it has settled. Reported as ratios.
 */

import type { Browser, Page } from "playwright-core";
import { npmOpencodeBinary } from "../lib/server/opencode/supervisor/binary.ts";
import { freePort, type OpencodeWorld, waitFor } from "../testing/world.ts";
import { gzippedLength, median, waitForQuiet } from "./figures.ts";

export interface FirstLoad {
  firstContentfulPaintMs: number;
  /** Gzipped bytes of every script the page loaded. */
  javaScriptBytes: number;
  /** Fixture projects named on the page after it settled. */
  projectsShown: number;
}

/**
 * Loads `url` `runs` times, each in a new browser context, for the median first contentful
 * paint; then once more for the scripts it loads and the projects it shows once settled.
 *
 * @example
 * ```ts
 * const palot = await firstLoad(browser, "http://127.0.0.1:3100/", projectNames, 5);
 * ```
 */
export async function firstLoad(
  browser: Browser,
  url: string,
  projectNames: string[],
  runs: number,
): Promise<FirstLoad> {
  const firstContentfulPaintMs = await medianFirstPaint(browser, url, runs);
  // One more load, watched (reading responses would slow the timed loads down).
  const context = await browser.newContext();
  const page = await context.newPage();
  const scripts: Promise<number>[] = [];
  page.on("response", (response) => {
    if (response.request().resourceType() !== "script") return;
    scripts.push(response.body().then(gzippedLength, () => 0));
  });
  await page.goto(url, { waitUntil: "load" });
  // Settled: single-page apps fetch their data after loading (Palot's event stream never ends,
  // so "network idle" cannot tell).
  await page.waitForTimeout(3000);
  // The text of every element the page shows or lets the user scroll to (Palot's long lists
  // skip painting off-screen items, which \`innerText\` would leave out).
  const text = await page.evaluate(() => {
    const shown: string[] = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (node.parentElement?.checkVisibility()) shown.push(node.textContent ?? "");
    }
    return shown.join("\n");
  });
  const javaScriptBytes = (await Promise.all(scripts)).reduce((sum, size) => sum + size, 0);
  await context.close();
  return {
    firstContentfulPaintMs,
    javaScriptBytes,
    projectsShown: projectNames.filter((name) => new RegExp(`\\b${name}\\b`).test(text)).length,
  };
}

/**
 * The median first contentful paint of `url` over `runs` loads, each in a new browser context.
 *
 * @example
 * ```ts
 * const frameMs = await medianFirstPaint(browser, "http://127.0.0.1:3100/no-such-page", 5);
 * ```
 */
export async function medianFirstPaint(
  browser: Browser,
  url: string,
  runs: number,
): Promise<number> {
  const paints: number[] = [];
  for (let i = 0; i < runs; i++) {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(url, { waitUntil: "load" });
    paints.push(await firstContentfulPaint(page));
    await context.close();
  }
  return median(paints);
}

/**
 * The browser's floor: the median first contentful paint of a one-paragraph page served on
 * loopback, measured like the home page (a new context and renderer each time).
 */
export async function paragraphFirstPaint(browser: Browser, runs: number): Promise<number> {
  await using server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen() {} },
    () =>
      new Response("<!doctype html><title>Floor</title><p>One paragraph.</p>", {
        headers: { "content-type": "text/html; charset=utf-8" },
      }),
  );
  return await medianFirstPaint(browser, `http://127.0.0.1:${server.addr.port}/`, runs);
}

/** The first contentful paint of the page, in ms from navigation start. */
export function firstContentfulPaint(page: Page): Promise<number> {
  return page.evaluate(() =>
    new Promise<number>((resolve) => {
      new PerformanceObserver((list) => {
        const entry = list.getEntries().find((entry) => entry.name === "first-contentful-paint");
        if (entry) resolve(entry.startTime);
      }).observe({ type: "paint", buffered: true });
    })
  );
}

/**
 * Starts `opencode web` on the fixture `world` (its own server, no password, loopback only),
 * waits until it answers (and, with `settle`, has gone quiet), and measures its first load.
 */
export async function opencodeWebFirstLoad(
  world: OpencodeWorld,
  browser: Browser,
  projectNames: string[],
  { runs, settle }: { runs: number; settle: boolean },
): Promise<FirstLoad> {
  const port = freePort();
  const child = new Deno.Command(npmOpencodeBinary(), {
    args: ["web", "--hostname", "127.0.0.1", "--port", String(port)],
    // BROWSER=true: `opencode web` would open a browser; `true` is a command that does nothing.
    env: { ...world.env, BROWSER: "true" },
    clearEnv: true,
    cwd: world.root,
    stdin: "null",
    stdout: "null",
    stderr: "null",
  }).spawn();
  try {
    const url = `http://127.0.0.1:${port}/`;
    await waitFor(async () => {
      const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      await response.body?.cancel();
      return response.ok;
    }, { timeoutMs: 60_000, message: "opencode web to answer" });
    if (settle) await waitForQuiet([child.pid]);
    return await firstLoad(browser, url, projectNames, runs);
  } finally {
    child.kill("SIGTERM");
    const killer = setTimeout(() => child.kill("SIGKILL"), 5_000);
    await child.status;
    clearTimeout(killer);
  }
}
