/**
 * An isolated OpenCode world for tests: a temporary `HOME` and `XDG_*` tree, an opencode config
 * whose only provider is the scripted {@linkcode FakeLlm}, git projects with a commit, and the real
 * opencode binary (the npm-pinned one) started on a free loopback port. Everything it starts it
 * stops on dispose, also when a test fails.
 *
 * @example
 * ```ts
 * await using llm = await FakeLlm.start();
 * await using world = await OpencodeWorld.create({ llm });
 * const dir = await world.makeProject("alpha");
 * await using opencode = await world.startOpencode();
 * const session = await opencode.client(dir).session.create();
 * ```
 */

import { join } from "node:path";
import { createOpencodeClient, type OpencodeClient } from "@opencode-ai/sdk/v2/client";
import { npmOpencodeBinary } from "../lib/server/opencode/supervisor/binary.ts";
import type { FakeLlm } from "./fake_llm.ts";

export interface WorldOptions {
  /** The fake LLM the config points at; without one, prompts cannot be answered. */
  llm?: FakeLlm;
  /** Extra opencode config merged over the default (for example `{permission: {bash: "ask"}}`). */
  config?: Record<string, unknown>;
}

/** A running `opencode serve` started by {@linkcode OpencodeWorld.startOpencode}. */
export interface RunningOpencode extends AsyncDisposable {
  url: string;
  password: string;
  pid: number;
  /** An SDK v2 client for a project directory, with the password. */
  client(directory?: string): OpencodeClient;
  /** `fetch` against the server with the password. */
  fetch(path: string, init?: RequestInit): Promise<Response>;
  stop(): Promise<void>;
}

export class OpencodeWorld implements AsyncDisposable {
  readonly root: string;
  readonly env: Record<string, string>;
  #running = new Set<RunningOpencode>();
  #temporary: boolean;

  private constructor(root: string, temporary: boolean) {
    this.root = root;
    this.#temporary = temporary;
    this.env = {
      HOME: join(root, "home"),
      XDG_DATA_HOME: join(root, "data"),
      XDG_CONFIG_HOME: join(root, "config"),
      XDG_STATE_HOME: join(root, "state"),
      XDG_CACHE_HOME: join(root, "cache"),
      XDG_RUNTIME_DIR: join(root, "runtime"),
      OPENCODE_DISABLE_AUTOUPDATE: "1",
      OPENCODE_DISABLE_MODELS_FETCH: "1",
      OPENCODE_DISABLE_LSP_DOWNLOAD: "1",
      // A folder's `.opencode/` plugins make OpenCode install their npm dependencies first; tests
      // stay on this machine, and behind the closed proxy `testing/palot.ts` sets, npm retried for
      // 70 to 120 s before it gave up (the plugin then loads all the same): offline, it gives up at
      // once.
      npm_config_offline: "true",
      GIT_AUTHOR_NAME: "Palot Test",
      GIT_AUTHOR_EMAIL: "test@palot.invalid",
      GIT_COMMITTER_NAME: "Palot Test",
      GIT_COMMITTER_EMAIL: "test@palot.invalid",
      PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin",
    };
  }

  /** Creates the temporary tree and writes the opencode config. */
  static async create(options: WorldOptions = {}): Promise<OpencodeWorld> {
    const root = await Deno.makeTempDir({ prefix: "palot-world-" });
    return await OpencodeWorld.#setUp(new OpencodeWorld(root, true), options);
  }

  /** Opens (creating when missing) a world at `root` that is kept on dispose, e.g. a cached fixture. */
  static async open(root: string, options: WorldOptions = {}): Promise<OpencodeWorld> {
    return await OpencodeWorld.#setUp(new OpencodeWorld(root, false), options);
  }

  static async #setUp(world: OpencodeWorld, options: WorldOptions): Promise<OpencodeWorld> {
    for (
      const key of ["HOME", "XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"]
    ) {
      await Deno.mkdir(world.env[key], { recursive: true });
    }
    await Deno.mkdir(world.env.XDG_RUNTIME_DIR, { recursive: true, mode: 0o700 });
    const config = {
      $schema: "https://opencode.ai/config.json",
      model: "mock/mock-1",
      small_model: "mock/mock-1",
      autoupdate: false,
      share: "disabled",
      provider: {
        mock: {
          npm: "@ai-sdk/openai-compatible",
          name: "Mock",
          options: { baseURL: options.llm?.baseUrl ?? "http://127.0.0.1:9/v1", apiKey: "x" },
          // Declared to take images, as most real models do, so attached images reach it.
          models: {
            "mock-1": {
              name: "Mock One",
              attachment: true,
              modalities: { input: ["text", "image"], output: ["text"] },
            },
          },
        },
      },
      ...options.config,
    };
    await Deno.mkdir(join(world.env.XDG_CONFIG_HOME, "opencode"), { recursive: true });
    await Deno.writeTextFile(
      join(world.env.XDG_CONFIG_HOME, "opencode", "opencode.json"),
      JSON.stringify(config, null, 2),
    );
    return world;
  }

  /** OpenCode's data dir in this world (where `opencode.db` lives). */
  get dataDir(): string {
    return join(this.env.XDG_DATA_HOME, "opencode");
  }

  /** Creates `projects/<name>` with a README, as a git repository with one commit unless `git` is false. */
  async makeProject(
    name: string,
    { git = true, config }: { git?: boolean; config?: Record<string, unknown> } = {},
  ): Promise<string> {
    const dir = join(this.root, "projects", name);
    await Deno.mkdir(dir, { recursive: true });
    await Deno.writeTextFile(join(dir, "README.md"), `# ${name}\n`);
    if (config) await Deno.writeTextFile(join(dir, "opencode.json"), JSON.stringify(config));
    if (git) {
      await this.run("git", ["init", "-q", "-b", "main"], dir);
      await this.run("git", ["add", "."], dir);
      await this.run("git", ["commit", "-q", "-m", "Initial commit"], dir);
    }
    return dir;
  }

  /** Runs a command inside the world's environment and fails loudly when it fails. */
  async run(command: string, args: string[], cwd = this.root): Promise<string> {
    const output = await new Deno.Command(command, { args, cwd, env: this.env, clearEnv: true })
      .output();
    const text = new TextDecoder().decode(output.stdout);
    if (!output.success) {
      throw new Error(
        `${command} ${args.join(" ")} failed: ${new TextDecoder().decode(output.stderr)}`,
      );
    }
    return text;
  }

  /**
   * Starts the real `opencode serve` with a random password (or `password`, on `port`: the same
   * server coming back) and waits until it answers health.
   */
  async startOpencode(
    { port = freePort(), password = crypto.randomUUID() }: { port?: number; password?: string } =
      {},
  ): Promise<RunningOpencode> {
    const child = new Deno.Command(npmOpencodeBinary(), {
      args: ["serve", "--hostname", "127.0.0.1", "--port", String(port)],
      cwd: this.root,
      env: { ...this.env, OPENCODE_SERVER_PASSWORD: password },
      clearEnv: true,
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    const logs: string[] = [];
    const drain = Promise.all([child.stdout, child.stderr].map(async (stream) => {
      for await (const text of stream.pipeThrough(new TextDecoderStream())) logs.push(text);
    }));
    const url = `http://127.0.0.1:${port}`;
    const authorization = `Basic ${btoa(`opencode:${password}`)}`;
    const fetchWithAuth = (path: string, init: RequestInit = {}) => {
      const headers = new Headers(init.headers);
      headers.set("authorization", authorization);
      return fetch(`${url}${path}`, { ...init, headers });
    };
    let stopped: Promise<void> | undefined;
    const running: RunningOpencode = {
      url,
      password,
      pid: child.pid,
      client: (directory) =>
        createOpencodeClient({ baseUrl: url, directory, headers: { authorization } }),
      fetch: fetchWithAuth,
      stop: () => {
        stopped ??= (async () => {
          this.#running.delete(running);
          try {
            child.kill("SIGKILL");
          } catch { /* already gone */ }
          await child.status;
          await drain;
        })();
        return stopped;
      },
      [Symbol.asyncDispose]: () => running.stop(),
    };
    this.#running.add(running);
    const deadline = Date.now() + 120_000;
    while (true) {
      try {
        const response = await fetchWithAuth("/global/health", {
          signal: AbortSignal.timeout(1000),
        });
        await response.body?.cancel();
        if (response.ok) return running;
      } catch { /* not answering yet */ }
      if (Date.now() > deadline) {
        await running.stop();
        throw new Error(`opencode did not become healthy within 120 s:\n${logs.join("")}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await Promise.all([...this.#running].map((running) => running.stop()));
    if (this.#temporary) await Deno.remove(this.root, { recursive: true }).catch(() => {});
  }
}

/** A TCP port that was free a moment ago on 127.0.0.1. */
export function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = listener.addr as Deno.NetAddr;
  listener.close();
  return port;
}

/** Polls `check` every 50 ms until it returns a truthy value or `timeoutMs` passes. */
export async function waitFor<T>(
  check: () => T | Promise<T>,
  { timeoutMs = 15_000, message = "condition" } = {},
): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value) return value as NonNullable<T>;
    } catch (error) {
      lastError = error;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`Timed out waiting for ${message}${lastError ? `: ${lastError}` : ""}`);
}
