/**
 * The benchmarks of other machines: the home page's server time with a second OpenCode server
 * of the fixture's 200 projects listed beside this machine's (its catalog read once through its
 * API, then served from memory), and, in Chromium against a real Palot with a second real
 * `opencode serve` added as a server, the time from opening a remote session's address to its chat
 * being usable (connected, toolbar complete, island hydrated).
 */

import type { Browser } from "playwright-core";
import { median } from "./figures.ts";
import type { Fixture } from "./fixture.ts";
import { appOver } from "../testing/app_over.ts";
import { FakeLlm } from "../testing/fake_llm.ts";
import { startPalot } from "../testing/palot.ts";
import { OpencodeWorld, waitFor } from "../testing/world.ts";
import { RemoteServers } from "../lib/server/remote/remote_servers.ts";

/**
 * Median server time of `/` with the fixture's OpenCode added as a second server.
 *
 * @example
 * ```ts
 * const { ms, remoteProjects } = await remoteHomeServerTime(fixture, medianTime);
 * ```
 */
export async function remoteHomeServerTime(
  fixture: Fixture,
  medianTime: (task: () => Promise<unknown>) => Promise<number>,
): Promise<{ ms: number; remoteProjects: number }> {
  await using opencode = await fixture.world.startOpencode();
  const stateDir = await Deno.makeTempDir({ prefix: "palot-bench-remote-" });
  const remotes = new RemoteServers({ stateDir, log: () => {} });
  try {
    await remotes.add(
      { address: opencode.url, password: opencode.password, name: "Second machine" },
      { port: 3100, hostname: "127.0.0.1" },
    );
    remotes.start();
    const [server] = remotes.list();
    await waitFor(() => server.catalog.loaded && server.status.state === "online", {
      timeoutMs: 120_000,
      message: "the second server's projects read",
    });
    using palot = appOver(fixture.dataDir, { remotes });
    const ms = await medianTime(async () => {
      const response = await palot.fetch("/");
      if (response.status !== 200) throw new Error(`GET / answered ${response.status}`);
      await response.text();
    });
    return { ms, remoteProjects: server.catalog.listProjects().length };
  } finally {
    await remotes.stop();
    await Deno.remove(stateDir, { recursive: true }).catch(() => {});
  }
}

/** Median time from opening a remote session's page to its chat being usable. */
export async function remoteChatUsableMs(browser: Browser, runs: number): Promise<number> {
  await using llm = await FakeLlm.start();
  await using world = await OpencodeWorld.create({ llm });
  await using other = await OpencodeWorld.create({ llm });
  const far = await other.makeProject("far-bench");
  await using remote = await other.startOpencode();
  const { data: session } = await remote.client(far).session.create({ title: "Bench" });
  await using palot = await startPalot(world);
  const added = await palot.fetch("/settings/servers", {
    method: "POST",
    headers: { origin: palot.url, "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ address: remote.url, password: remote.password, name: "bench" })
      .toString(),
    redirect: "manual",
  });
  if (added.status !== 303) throw new Error(`Adding the server answered ${added.status}`);
  const href = `/s/bench/session/${session!.id}`;
  await waitFor(async () => (await palot.fetch(href)).status === 200, {
    timeoutMs: 60_000,
    message: "the remote session known",
  });
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const times: number[] = [];
  try {
    for (let run = 0; run < runs + 1; run++) {
      const page = await context.newPage();
      const started = performance.now();
      await page.goto(palot.url + href);
      await page.getByRole("status").filter({ hasText: "Connected" }).waitFor({ timeout: 60_000 });
      await page.locator(".toolbar:not([data-provisional])").waitFor({ timeout: 60_000 });
      await page.locator('[role=combobox][aria-label="Agent"]:not([disabled])').waitFor({
        timeout: 60_000,
      });
      await page.locator('[data-island="Chat"][data-hydrated]').waitFor({ state: "attached" });
      // The first opening also boots the project's instance there: a warm-up, not counted.
      if (run > 0) times.push(performance.now() - started);
      await page.close();
    }
  } finally {
    await context.close();
  }
  return median(times);
}
