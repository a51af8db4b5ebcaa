/**
 * The browser suite's harness: one isolated OpenCode world with the scripted fake LLM, Palot
 * started as `deno run -A main.ts` over the islands `deno task test:e2e` built (`deno task start`
 * itself is covered by `integration/main_test.ts`), and Debian's Chromium driven by playwright-core
 * (never a downloaded browser). Everything it starts it stops on dispose, also when a test fails.
 *
 * @example
 * ```ts
 * await using app = await startApp({ projects: ["alpha", "beta"] });
 * const page = await app.newPage();
 * await page.goto(app.palot.url);
 * ```
 */

import { join } from "node:path";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";
import { FakeLlm } from "../testing/fake_llm.ts";
import { type PalotOptions, type RunningPalot, startPalot } from "../testing/palot.ts";
import { OpencodeWorld, waitFor, type WorldOptions } from "../testing/world.ts";

export const CHROMIUM = Deno.env.get("PALOT_CHROMIUM") ?? "/usr/bin/chromium";
const WRITE_SCREENSHOTS = Deno.env.get("PALOT_SCREENSHOTS") === "1";

/** Flags for Debian's Chromium on a closed network, as root, without a GPU. */
const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
  "--disable-quic",
];

export interface AppOptions {
  /** Git projects to create before Palot starts. */
  projects?: string[];
  world?: Omit<WorldOptions, "llm">;
  palot?: PalotOptions;
}

export interface RunningApp extends AsyncDisposable {
  llm: FakeLlm;
  world: OpencodeWorld;
  palot: RunningPalot;
  browser: Browser;
  /** Project directories by name. */
  projects: Record<string, string>;
  /**
   * A page in a fresh browser context (its own storage), closed on dispose; `theme` sets the
   * `Theme` control's cookie first.
   */
  newPage(
    options?: { width?: number; height?: number; javaScript?: boolean; theme?: "light" | "dark" },
  ): Promise<Page>;
  /**
   * Renders a screenshot of the page; with `PALOT_SCREENSHOTS=1` set, writes it to
   * `docs/screenshots/<name>.png` (a plain test run leaves the work tree as it was).
   */
  screenshot(page: Page, name: string): Promise<void>;
}

/** Launches Debian's Chromium headless, with `extraArgs` after the usual flags. */
export function launchChromium(extraArgs: string[] = []): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [...CHROMIUM_ARGS, ...extraArgs],
  });
}

export async function startApp(options: AppOptions = {}): Promise<RunningApp> {
  const cleanups: (() => Promise<unknown>)[] = [];
  const dispose = async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
  };
  try {
    const llm = await FakeLlm.start();
    cleanups.push(() => llm.close());
    const world = await OpencodeWorld.create({ ...options.world, llm });
    cleanups.push(() => world[Symbol.asyncDispose]());
    const projects: Record<string, string> = {};
    for (const name of options.projects ?? []) projects[name] = await world.makeProject(name);
    const palot = await startPalot(world, options.palot);
    cleanups.push(() => palot.stop());
    await waitFor(async () => {
      const status = await (await palot.fetch("/api/opencode")).json();
      return status.status === "ready";
    }, { timeoutMs: 120_000, message: "OpenCode ready behind Palot" });
    const browser = await launchChromium();
    cleanups.push(() => browser.close());
    const contexts: BrowserContext[] = [];
    return {
      llm,
      world,
      palot,
      browser,
      projects,
      newPage: (pageOptions) => openPage(browser, palot.url, contexts, pageOptions),
      async screenshot(page, name) {
        if (!WRITE_SCREENSHOTS) {
          await page.screenshot();
          return;
        }
        const dir = join(import.meta.dirname!, "..", "docs", "screenshots");
        await Deno.mkdir(dir, { recursive: true });
        await page.screenshot({ path: join(dir, `${name}.png`) });
      },
      async [Symbol.asyncDispose]() {
        for (const context of contexts) await context.close().catch(() => {});
        await dispose();
        // A Palot that hangs on SIGTERM would leave its opencode running: a failure.
        const hung = palot.logs.find((line) => line.includes("did not exit within"));
        if (hung) throw new Error(`${hung}\n${palot.logs.slice(-20).join("\n")}`);
      },
    };
  } catch (error) {
    await dispose();
    throw error;
  }
}

type PageOptions = Parameters<RunningApp["newPage"]>[0];

/** A page in a fresh browser context (its own storage), remembered in `contexts` to close. */
async function openPage(
  browser: Browser,
  url: string,
  contexts: BrowserContext[],
  { width = 1280, height = 800, javaScript = true, theme }: PageOptions = {},
): Promise<Page> {
  const context = await browser.newContext({
    viewport: { width, height },
    javaScriptEnabled: javaScript,
  });
  contexts.push(context);
  if (theme) await context.addCookies([{ name: "palot_theme", value: theme, url }]);
  return await context.newPage();
}

/** One stack shared by the tests of a file; see {@linkcode sharedApp}. */
export interface SharedApp {
  /**
   * The file's stack (started by the first test that asks) with this test's own new projects
   * (named `projects`, unique in the file; `config` is their own `opencode.json`, for example
   * `{permission: {bash: "ask"}}`); its pages' contexts close when the test ends.
   */
  use(projects?: string[], options?: { config?: Record<string, unknown> }): Promise<RunningApp>;
  /** Adds the file's last test, which stops the stack (and fails if Palot hung on SIGTERM). */
  stopAfterAll(): void;
}

/**
 * One fake LLM, world, OpenCode, Palot and Chromium for all the tests of a file, rather than a
 * stack per test: each test asks {@linkcode SharedApp.use} for its own projects and browser
 * contexts (and, when they need one, their projects' own OpenCode config). Tests that need Palot's
 * flags, or to stop it, start their own ({@linkcode startApp}).
 *
 * @example
 * ```ts
 * const stack = sharedApp();
 * browserTest("…", async () => {
 *   await using app = await stack.use(["alpha"]);
 *   const page = await app.newPage();
 * });
 * stack.stopAfterAll();
 * ```
 */
export function sharedApp(options: Omit<AppOptions, "projects"> = {}): SharedApp {
  let started: Promise<RunningApp> | undefined;
  return {
    async use(projects = [], { config } = {}) {
      started ??= startApp(options);
      const app = await started;
      const own: Record<string, string> = {};
      for (const name of projects) own[name] = await app.world.makeProject(name, { config });
      const contexts: BrowserContext[] = [];
      return {
        ...app,
        projects: own,
        newPage: (pageOptions) => openPage(app.browser, app.palot.url, contexts, pageOptions),
        async [Symbol.asyncDispose]() {
          for (const context of contexts) await context.close().catch(() => {});
        },
      };
    },
    stopAfterAll() {
      browserTest("the file's shared Palot, OpenCode and browser stop cleanly", async () => {
        if (started) await (await started)[Symbol.asyncDispose]();
      });
    },
  };
}

/** A browser test: Playwright's own timers and sockets outlive a test, so sanitizers are off. */
export function browserTest(name: string, fn: () => Promise<void>): void {
  Deno.test({ name, fn, sanitizeOps: false, sanitizeResources: false });
}

/** Makes OpenCode know `directory` as a project (as opening it in any client does); returns its id. */
export async function registerProject(app: RunningApp, directory: string): Promise<string> {
  const response = await app.palot.fetch(
    `/api/opencode/project/current?directory=${encodeURIComponent(directory)}`,
  );
  return (await response.json()).id;
}

/**
 * Opens a new chat in a project and waits until the connection and the toolbar (with the project's
 * own options) are ready.
 */
export async function openNewChat(app: RunningApp, page: Page, projectId: string): Promise<void> {
  await page.goto(`${app.palot.url}/project/${projectId}/new`);
  await page.getByRole("status").filter({ hasText: "Connected" }).waitFor({ timeout: 30_000 });
  await page.locator('[role=combobox][aria-label="Agent"]:not([disabled])').waitFor({
    timeout: 60_000,
  });
  await islandReady(page, "Chat");
  // The project's own options, not only the provisional ones of folders without config.
  await page.locator(".toolbar:not([data-provisional])").waitFor({ timeout: 60_000 });
}

/**
 * Waits until the island `name` has hydrated (its controls respond); before that a page shows the
 * server's HTML, where keys and clicks do nothing.
 */
export async function islandReady(page: Page, name: string): Promise<void> {
  await page.locator(`[data-island="${name}"][data-hydrated]`).first().waitFor({
    state: "attached",
  });
}

/** Types `text` into the composer and presses Enter. */
export async function send(page: Page, text: string): Promise<void> {
  const box = page.getByLabel("Message", { exact: true });
  await box.fill(text);
  // Send is enabled once the chat has taken over the page (before that, Enter is a new line).
  await page.locator("form.composer button[type=submit]:not([disabled])").waitFor();
  await box.press("Enter");
}

/**
 * Adds another machine's `opencode serve` to Palot as Settings → Servers does (its address,
 * password and `name`), and returns Palot's id for it (the `<server>` of its `/s/<server>/...`
 * pages).
 */
export async function addServer(
  app: RunningApp,
  remote: { url: string; password: string },
  name: string,
): Promise<string> {
  const response = await app.palot.fetch("/settings/servers", {
    method: "POST",
    headers: { origin: app.palot.url, "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ address: remote.url, password: remote.password, name }).toString(),
    redirect: "manual",
  });
  if (response.status !== 303) {
    throw new Error(`Adding ${name} failed (${response.status}): ${await response.text()}`);
  }
  await response.body?.cancel();
  const settings = await (await app.palot.fetch("/settings")).text();
  const form = settings.split("<form").find((chunk) =>
    chunk.includes(`aria-label="Remove ${name}"`)
  );
  const id = form && /action="\/settings\/servers\/([^/"]+)\/remove"/.exec(form)?.[1];
  if (!id) throw new Error(`${name} is not listed in Settings → Servers`);
  return decodeURIComponent(id);
}
