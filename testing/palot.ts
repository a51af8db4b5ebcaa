/**
 * Starts Palot itself as a separate process for integration and browser tests, inside an
 * {@linkcode OpencodeWorld}'s environment: `deno task start` (exactly as the README says) or
 * `deno run -A main.ts`, with free ports, waiting for the `Palot ready at` line.
 *
 * @example
 * ```ts
 * await using palot = await startPalot(world);
 * const response = await fetch(palot.url);
 * ```
 */

import { join } from "node:path";
import { freePort, type OpencodeWorld, waitFor } from "./world.ts";

export const PROJECT_ROOT = join(import.meta.dirname!, "..");

export interface PalotOptions {
  /** Extra command-line flags. */
  args?: string[];
  /** Run through `deno task start` (builds islands first) instead of `deno run -A main.ts`. */
  viaTask?: boolean;
  /** Working directory of the process (default: the project root). */
  cwd?: string;
  /** Port for Palot (default: a free one; 0 lets Palot pick and reads it from the ready line). */
  port?: number;
  /** Preferred opencode port (default: a free one). */
  opencodePort?: number;
  /** Extra environment variables. */
  env?: Record<string, string>;
  /** Start with `--token TOKEN`; {@linkcode RunningPalot.fetch} then sends it as a bearer token. */
  token?: string;
}

export interface RunningPalot extends AsyncDisposable {
  url: string;
  port: number;
  process: Deno.ChildProcess;
  /** Everything printed so far, stdout and stderr interleaved by line. */
  logs: string[];
  /** Sends `signal` and waits for the process to exit; resolves with its status. */
  stop(signal?: Deno.Signal): Promise<Deno.CommandStatus>;
  /** `fetch` relative to Palot's URL. */
  fetch(path: string, init?: RequestInit): Promise<Response>;
}

export async function startPalot(
  world: OpencodeWorld,
  options: PalotOptions = {},
): Promise<RunningPalot> {
  const port = options.port ?? freePort();
  const flags = [
    "--port",
    String(port),
    "--opencode-port",
    String(options.opencodePort ?? freePort()),
    ...(options.token ? ["--token", options.token] : []),
    ...(options.args ?? []),
  ];
  const args = options.viaTask
    ? ["task", "--quiet", "--config", join(PROJECT_ROOT, "deno.json"), "start", ...flags]
    : ["run", "-A", join(PROJECT_ROOT, "main.ts"), ...flags];
  const process = new Deno.Command(Deno.execPath(), {
    args,
    cwd: options.cwd ?? PROJECT_ROOT,
    env: {
      ...world.env,
      // Palot reaches this machine only: what it would fetch over https elsewhere (a provider's
      // API, for the key check in Settings) meets a closed port here and fails at once. Not for
      // `deno task start`, whose `deno install` may ask the npm registry.
      ...(options.viaTask
        ? {}
        : { HTTPS_PROXY: "http://127.0.0.1:9", NO_PROXY: "127.0.0.1,localhost" }),
      ...options.env,
      DENO_DIR: denoDir(),
    },
    clearEnv: true,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const logs: string[] = [];
  const pumps = [process.stdout, process.stderr].map(async (stream) => {
    const decoder = new TextDecoder();
    let buffer = "";
    for await (const bytes of stream) {
      buffer += decoder.decode(bytes, { stream: true });
      const lines = buffer.split("\n");
      buffer = lines.pop()!;
      logs.push(...lines);
    }
    if (buffer) logs.push(buffer);
  });
  let exit: Promise<Deno.CommandStatus> | undefined;
  const running: RunningPalot = {
    url: `http://127.0.0.1:${port}`,
    port,
    process,
    logs,
    fetch: (path, init = {}) => {
      if (!options.token) return fetch(running.url + path, init);
      const headers = new Headers(init.headers);
      if (!headers.has("authorization")) headers.set("authorization", `Bearer ${options.token}`);
      return fetch(running.url + path, { ...init, headers });
    },
    stop: (signal = "SIGTERM") => {
      exit ??= (async () => {
        try {
          process.kill(signal);
        } catch { /* already exited */ }
        // A Palot that does not exit in time is a failure, not a hung test run.
        const timer = setTimeout(() => {
          logs.push("(test harness: Palot did not exit within 20 s of the signal; killed)");
          try {
            process.kill("SIGKILL");
          } catch { /* exited meanwhile */ }
        }, 20_000);
        const status = await process.status;
        clearTimeout(timer);
        await Promise.all(pumps);
        return status;
      })();
      return exit;
    },
    [Symbol.asyncDispose]: async () => {
      await running.stop();
    },
  };
  let exited = false;
  process.status.then(() => exited = true);
  try {
    const ready = await waitFor(() => {
      if (exited) throw new Error("Palot exited");
      return logs.find((line) => line.includes("Palot ready at"));
    }, { timeoutMs: 120_000, message: "Palot to print its ready line" });
    if (port === 0) {
      running.port = Number(/Palot ready at http:\/\/[^/]*:(\d+)/.exec(ready)?.[1]);
      running.url = `http://127.0.0.1:${running.port}`;
    }
  } catch (error) {
    await running.stop("SIGKILL");
    throw new Error(`${(error as Error).message}\n${logs.join("\n")}`);
  }
  return running;
}

/** Deno's cache, shared with the test runner so a child process needs no download. */
function denoDir(): string {
  const home = Deno.env.get("HOME") ?? "/root";
  return Deno.env.get("DENO_DIR") ?? join(home, ".cache", "deno");
}

/**
 * POSTs `body` as JSON to OpenCode through Palot's proxy, for the project in `directory`, as
 * another client would; rejects on an error status and resolves with the parsed answer (or
 * `undefined` when there is none).
 *
 * @example
 * ```ts
 * const session = await postToOpencode(palot, "/session", directory, { title: "Work" });
 * ```
 */
export async function postToOpencode(
  palot: Pick<RunningPalot, "fetch">,
  path: string,
  directory: string,
  body: unknown,
  // deno-lint-ignore no-explicit-any
): Promise<any> {
  const response = await palot.fetch(
    `/api/opencode${path}?directory=${encodeURIComponent(directory)}`,
    {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    },
  );
  if (!response.ok) {
    await response.body?.cancel();
    throw new Error(`POST ${path} answered ${response.status}`);
  }
  const text = await response.text();
  return text ? JSON.parse(text) : undefined;
}
