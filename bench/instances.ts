/**
 * OpenCode's per-directory instances under Palot, on the fixture: opencode's memory after every
 * project's toolbar was opened one after another (the instance keeper disposing behind), a tab
 * sending a message after its project's instance was disposed, and navigation to a chat page
 * until its toolbar shows the configured model, for a project Palot knows (warm), one whose
 * instance is gone (cold), and a cold folder with OpenCode config of its own.
 */

import { join } from "node:path";
import type { Page } from "playwright-core";
import { launchChromium } from "../e2e/harness.ts";
import { openDiscovery } from "../lib/server/discovery/mod.ts";
import { sleep } from "../lib/server/sleep.ts";
import { FakeLlm } from "../testing/fake_llm.ts";
import { type RunningPalot, startPalot } from "../testing/palot.ts";
import { OpencodeWorld, waitFor } from "../testing/world.ts";
import { median, rssMb, waitForQuiet } from "./figures.ts";
import type { Fixture } from "./fixture.ts";

export interface InstanceFigures {
  projects: number;
  /** opencode's memory once ready and quiet, before any project was opened. */
  freshRssMb: number;
  /** opencode's memory 2 s after the keeper caught up with every project's toolbar opened. */
  afterAllRssMb: number;
  /** opencode's memory `settledAfterMs` after that (a minute), once it has given memory back. */
  settledRssMb: number;
  settledAfterMs: number;
  /** A tab whose project's instance was disposed sent a message and got the reply. */
  sentAfterDispose: boolean;
  warmToolbarMs: number;
  coldToolbarMs: number;
  /** Cold, for a folder with an `opencode.json` of its own: its options only come from OpenCode. */
  coldOwnConfigToolbarMs: number;
}

/** The requests a chat page's toolbar makes, as the issue measured them. */
const TOOLBAR_PATHS = ["/agent", "/config/providers", "/config", "/vcs"];
const MODEL = "mock/mock-1";

interface Status {
  status: string;
  pid: number;
  instances: { directory: string }[];
}

/**
 * Measures the instance figures with a real Palot (default flags unless `args`), its opencode and
 * Chromium.
 */
export async function instanceFigures(
  fixture: Fixture,
  { runs, settle, args = [] }: { runs: number; settle: boolean; args?: string[] },
): Promise<InstanceFigures> {
  await using llm = await FakeLlm.start();
  const world = await OpencodeWorld.open(fixture.root, { llm });
  const discovery = openDiscovery(world.dataDir);
  const projects = discovery.listProjects().filter((project) => project.worktree !== "/");
  discovery.close();
  const palot = await startPalot(world, { args: ["--data-dir", world.dataDir, ...args] });
  const browser = await launchChromium();
  try {
    const status = async () => await (await palot.fetch("/api/opencode")).json() as Status;
    const ready = () =>
      waitFor(async () => {
        const now = await status();
        return now.status === "ready" ? now : undefined;
      }, { timeoutMs: 60_000, message: "OpenCode ready" });
    const { pid } = await ready();
    if (settle) await waitForQuiet([pid, palot.process.pid]);
    const freshRssMb = await rssMb(pid);
    for (const project of projects) {
      await Promise.all(TOOLBAR_PATHS.map(async (path) => {
        const response = await palot.fetch(
          `/api/opencode${path}?directory=${encodeURIComponent(project.worktree)}`,
        );
        await response.body?.cancel();
      }));
    }
    // The keeper disposes behind the last ones within its grace and one sweep.
    const max = Number(args[args.indexOf("--max-instances") + 1]) || 8;
    await waitFor(async () => (await status()).instances.length <= max, {
      timeoutMs: 60_000,
      message: "the keeper down to its cap",
    });
    await sleep(2_000);
    // The same process unless it restarted meanwhile (then the figure says so by being small).
    const afterAllRssMb = await rssMb((await ready()).pid);
    // Disposed instances' memory goes back to the system in steps as opencode collects garbage.
    const settledAfterMs = settle ? 60_000 : 2_000;
    await sleep(settledAfterMs);
    const settledRssMb = await rssMb((await ready()).pid);

    const pageFor = async () => await (await browser.newContext()).newPage();
    const newChat = (project: (typeof projects)[number]) =>
      `${palot.url}/project/${encodeURIComponent(project.id)}/new`;
    const live = async () => new Set((await status()).instances.map((i) => i.directory));
    // Cold: projects whose instances the keeper disposed, least recently used first.
    const cold: number[] = [];
    const warm: number[] = [];
    for (let i = 0; i < runs; i++) {
      const project = projects[i % projects.length];
      if ((await live()).has(project.worktree)) await dispose(palot, project.worktree);
      cold.push(await toolbarShowsModel(await pageFor(), newChat(project)));
      // Warm: the server has the options (its refresh after that visit), rendered into the page.
      await waitFor(async () => {
        const response = await fetch(newChat(project));
        const html = await response.text();
        // Its own options, not the provisional ones of folders without config of their own.
        return html.includes(`data-value="${MODEL}"`) && !html.includes("provisional");
      }, { timeoutMs: 30_000, message: "the toolbar cached" });
      warm.push(await toolbarShowsModel(await pageFor(), newChat(project)));
    }

    // A folder with config of its own gets no shared options: OpenCode must boot it first.
    const ownConfig = join(fixture.root, "projects", "own-config");
    await Deno.mkdir(ownConfig, { recursive: true });
    await Deno.writeTextFile(
      join(ownConfig, "opencode.json"),
      JSON.stringify({ $schema: "https://opencode.ai/config.json" }),
    );
    const coldOwnConfig: number[] = [];
    for (let i = 0; i < runs; i++) {
      if ((await live()).has(ownConfig)) await dispose(palot, ownConfig);
      coldOwnConfig.push(
        await toolbarShowsModel(
          await pageFor(),
          `${palot.url}/new?directory=${encodeURIComponent(ownConfig)}`,
        ),
      );
    }

    // A tab open on a project whose instance is disposed under it still sends.
    const project = projects[projects.length - 1];
    const page = await pageFor();
    await page.goto(newChat(project));
    await page.locator(`input[aria-label="Model"]:not([disabled])`).waitFor({ timeout: 60_000 });
    await page.getByRole("status").filter({ hasText: "Connected" }).waitFor({ timeout: 30_000 });
    await dispose(palot, project.worktree);
    llm.enqueue({ text: "Answered after the disposal." });
    await page.getByLabel("Message").fill("Hello after the disposal");
    await page.getByLabel("Message").press("Enter");
    const sentAfterDispose = await page.getByText("Answered after the disposal.")
      .waitFor({ timeout: 60_000 }).then(() => true, () => false);
    return {
      projects: projects.length,
      freshRssMb,
      afterAllRssMb,
      settledRssMb,
      settledAfterMs,
      sentAfterDispose,
      warmToolbarMs: median(warm),
      coldToolbarMs: median(cold),
      coldOwnConfigToolbarMs: median(coldOwnConfig),
    };
  } catch (error) {
    console.error(palot.logs.slice(-30).join("\n")); // what Palot saw, for the failure at hand
    throw error;
  } finally {
    await browser.close();
    await palot.stop();
  }
}

/** Disposes `directory`'s instance through Palot's proxy and waits until the keeper knows. */
async function dispose(palot: RunningPalot, directory: string): Promise<void> {
  const response = await palot.fetch(
    `/api/opencode/instance/dispose?directory=${encodeURIComponent(directory)}`,
    { method: "POST" },
  );
  await response.body?.cancel();
  await waitFor(async () => {
    const status = await (await palot.fetch("/api/opencode")).json() as Status;
    return !status.instances.some((instance) => instance.directory === directory);
  }, { timeoutMs: 30_000, message: `"${directory}" disposed` });
}

/**
 * Navigates `page` to `url` and returns the milliseconds from navigation start until the first
 * frame in which the Model field is enabled and shows the configured model (NaN after 30 s);
 * closes the page's context. The watch is installed before the page's own scripts (an init
 * script), so it sees the first frame, not the moment a script sent after the navigation arrives.
 */
async function toolbarShowsModel(page: Page, url: string): Promise<number> {
  try {
    await page.addInitScript((model) => {
      const check = () => {
        const field = document.querySelector<HTMLInputElement>('input[aria-label="Model"]');
        if (field && !field.disabled && field.dataset.value === model) {
          (globalThis as { toolbarShownAt?: number }).toolbarShownAt = performance.now();
        } else requestAnimationFrame(check);
      };
      requestAnimationFrame(check);
    }, MODEL);
    await page.goto(url, { waitUntil: "commit" });
    return await page.waitForFunction(
      () => (globalThis as { toolbarShownAt?: number }).toolbarShownAt,
      undefined,
      { timeout: 30_000 },
    ).then((shown) => shown.jsonValue() as Promise<number>, () => Number.NaN);
  } finally {
    await page.context().close();
  }
}
