/**
 * The opencode process the supervisor owns, and the two ways to get one: spawning
 * `opencode serve` with a fresh random password (its output to a file, so that it outlives a
 * killed Palot and can be adopted), or adopting the one a previous Palot started, only when its
 * state file proves it ours (the recorded password, and a pid whose fingerprint, start time and
 * command line, is still the one recorded). Every signal is sent only after that check.
 */

import { join } from "node:path";
import type { ResolvedBinary } from "./binary.ts";
import { basicAuthorization } from "../endpoint.ts";
import { checkHealth } from "./health.ts";
import {
  isSameProcess,
  lines,
  pickPort,
  processFingerprint,
  tailFile,
  terminate,
  watchExit,
} from "./process.ts";
import { readState, writeState } from "./state_file.ts";

/** A process the supervisor owns: spawned now, or adopted from its state file. */
export interface ServerProcess {
  pid: number;
  port: number;
  password: string;
  /** Adopted from a previous Palot (not our child: no output to read). */
  adopted: boolean;
  /** When the process started (ms since the epoch), from the state file for an adopted one. */
  startedAt?: number;
  /** Resolves when the process is gone (or, adopted, when the supervisor stops watching it). */
  exited: Promise<void>;
  /** Signals the process, only while it is still the one the supervisor started. */
  kill(signal: Deno.Signal): void;
  /** Stops watching the process without stopping it (`stop({keep: true})`). */
  forget(): void;
  /** Captured output lines (spawned instances only), for error messages. */
  output: string[];
}

export interface AdoptOptions {
  /** Folder of the 0600 state file. */
  stateDir: string;
  healthTimeoutMs: number;
  log: (line: string) => void;
}

export interface SpawnOptions {
  binary: ResolvedBinary;
  /** Preferred port; a free one is taken when another program holds it. */
  port: number;
  stateDir: string;
  /** Environment for opencode (default: Palot's own). */
  env?: Record<string, string>;
  /** Working directory for opencode (default: the state dir). */
  cwd?: string;
  /** Time to wait after SIGTERM before SIGKILL, if the state file cannot be written. */
  killGraceMs: number;
  log: (line: string) => void;
}

/**
 * Adopts the server a previous Palot left running, if its state file proves it is ours: the pid
 * is still the process recorded there, and it answers with the recorded password.
 */
export async function adoptServer(
  { stateDir, healthTimeoutMs, log }: AdoptOptions,
): Promise<ServerProcess | undefined> {
  const state = await readState(stateDir);
  const fingerprint = state && processFingerprint(state.pid);
  if (!state || !fingerprint) return undefined;
  const recorded = state.fingerprint;
  const ours = recorded
    ? isSameProcess(state.pid, recorded)
    // A state file from before fingerprints: the command line must be that server's.
    : / serve .*--port (\S+ )*?${state.port}\b/.test(` ${fingerprint.command}`);
  if (!ours) {
    log(`Not adopting pid ${state.pid}: it is no longer the opencode Palot started`);
    return undefined;
  }
  const health = await checkHealth(
    `http://127.0.0.1:${state.port}`,
    basicAuthorization(state.password),
    healthTimeoutMs,
  );
  if (!health) return undefined;
  log(`Adopted opencode ${health.version} (pid ${state.pid}) on port ${state.port}`);
  const pid = state.pid;
  const watching = new AbortController();
  return {
    pid,
    port: state.port,
    password: state.password,
    adopted: true,
    startedAt: typeof state.startedAt === "number" ? state.startedAt : undefined,
    output: [],
    kill: (signal) => {
      if (isSameProcess(pid, fingerprint)) Deno.kill(pid, signal);
    },
    forget: () => watching.abort(),
    exited: watchExit(pid, fingerprint, watching.signal),
  };
}

/**
 * Starts `opencode serve` on `port` (or a free one) with a fresh random password, its output to
 * `opencode.log` in `stateDir`, and records it in the state file.
 */
export async function spawnServer(options: SpawnOptions): Promise<ServerProcess> {
  const { binary, stateDir, log } = options;
  const port = pickPort(options.port, log);
  const password = crypto.randomUUID() + crypto.randomUUID();
  log(`Starting opencode from ${binary.source} (${binary.path}) on port ${port}`);
  const cwd = options.cwd ?? (await ensureDir(stateDir));
  const args = ["serve", "--hostname", "127.0.0.1", "--port", String(port)];
  const env = {
    ...(options.env ?? Deno.env.toObject()),
    OPENCODE_SERVER_PASSWORD: password,
  };
  const output: string[] = [];
  const keep = (line: string) => {
    output.push(line);
    if (output.length > 50) output.shift();
  };
  let child: Deno.ChildProcess;
  let pumps: Promise<unknown>;
  if (Deno.build.os === "windows") {
    child = new Deno.Command(binary.path, {
      args,
      env,
      clearEnv: true,
      cwd,
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    pumps = Promise.all([child.stdout, child.stderr].map(async (stream) => {
      for await (const line of lines(stream)) keep(line);
    }));
  } else {
    // Its output goes to a file, not a pipe to Palot: a pipe would break when Palot is killed
    // (SIGKILL gives no chance to stop it), and opencode dies writing to a broken pipe, so the
    // next start could not adopt it. `exec` keeps the pid opencode's own.
    const logFile = join(await ensureDir(stateDir), "opencode.log");
    child = new Deno.Command("sh", {
      args: ["-c", 'log="$1"; shift; exec "$@" >"$log" 2>&1', "sh", logFile, binary.path, ...args],
      env,
      clearEnv: true,
      cwd,
      stdin: "null",
      stdout: "null",
      stderr: "null",
    }).spawn();
    const stopTailing = new AbortController();
    pumps = tailFile(
      logFile,
      keep,
      stopTailing.signal,
      child.status.then(() => stopTailing.abort()),
    );
  }
  const instance: ServerProcess = {
    pid: child.pid,
    port,
    password,
    adopted: false,
    startedAt: Date.now(),
    output,
    kill: (signal) => child.kill(signal),
    forget: () => {},
    exited: child.status.then(() => pumps).then(() => {}),
  };
  try {
    await writeState(stateDir, {
      pid: child.pid,
      port,
      password,
      binary: binary.path,
      startedAt: instance.startedAt!,
    });
  } catch (error) {
    await terminate(instance, options.killGraceMs);
    throw new Error(
      `Cannot write Palot's state file in "${stateDir}": ${(error as Error).message}`,
    );
  }
  return instance;
}

/**
 * Adds the fingerprint of a spawned server to the state file once it answers (by then the shell
 * that started it has become opencode), so that only this process is ever adopted or signalled.
 */
export async function recordFingerprint(stateDir: string, instance: ServerProcess): Promise<void> {
  const state = await readState(stateDir);
  const fingerprint = processFingerprint(instance.pid);
  if (state?.pid === instance.pid && fingerprint) {
    await writeState(stateDir, { ...state, fingerprint });
  }
}

/** The last lines of its output, for an error message. */
export function outputTail(output: string[]): string {
  return output.slice(-5).join(" | ") || "no output";
}

async function ensureDir(dir: string): Promise<string> {
  await Deno.mkdir(dir, { recursive: true, mode: 0o700 });
  return dir;
}
