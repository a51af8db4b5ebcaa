/**
 * Operating-system helpers for the supervisor: whether a pid is alive, a fingerprint that tells
 * the process Palot started from another that the OS later gave the same pid, signalling only a
 * process whose fingerprint still matches, stopping one (SIGTERM, then SIGKILL after a grace
 * period, every timer cleared), a free loopback port, and an output stream split into lines.
 */

import { sleep } from "../../sleep.ts";

/**
 * Who a pid is now: its start time (clock ticks since boot on Linux, `ps`'s `lstart` elsewhere)
 * and its command line. Two fingerprints are the same process only if both match.
 */
export interface ProcessFingerprint {
  start: string;
  command: string;
}

/** Whether a process with this pid exists and is not a zombie (Linux: `/proc`; elsewhere `kill -0`). */
export function isAlive(pid: number): boolean {
  if (Deno.build.os === "linux") {
    try {
      const stat = Deno.readTextFileSync(`/proc/${pid}/stat`);
      return !/\) [ZX] /.test(stat);
    } catch {
      return false;
    }
  }
  return new Deno.Command("kill", { args: ["-0", String(pid)], stderr: "null" }).outputSync()
    .success;
}

/**
 * The fingerprint of the live process `pid`, or `undefined` when there is none.
 *
 * @example
 * ```ts
 * const fingerprint = processFingerprint(child.pid); // kept in the state file
 * ```
 */
export function processFingerprint(pid: number): ProcessFingerprint | undefined {
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) return undefined;
  if (Deno.build.os === "linux") {
    try {
      const stat = Deno.readTextFileSync(`/proc/${pid}/stat`);
      // Fields after the command name (which may hold spaces); starttime is field 22 overall.
      const start = stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19];
      const command = Deno.readTextFileSync(`/proc/${pid}/cmdline`).split("\0")
        .filter(Boolean).join(" ");
      return start ? { start, command } : undefined;
    } catch {
      return undefined;
    }
  }
  const output = new Deno.Command("ps", {
    args: ["-o", "lstart=", "-o", "command=", "-p", String(pid)],
    stdout: "piped",
    stderr: "null",
  }).outputSync();
  const line = new TextDecoder().decode(output.stdout).trim();
  // `lstart` is always 24 characters, e.g. "Wed Nov 25 19:31:54 2026".
  return output.success && line ? { start: line.slice(0, 24), command: line.slice(25) } : undefined;
}

/**
 * Whether `pid` is still the process `expected` was taken from (same start time and command).
 * A pid that exited and was given to another program fails this check.
 */
export function isSameProcess(pid: number, expected: ProcessFingerprint): boolean {
  const now = processFingerprint(pid);
  return now !== undefined && now.start === expected.start && now.command === expected.command;
}

/** A process that can be stopped: how to signal it and a promise that resolves once it is gone. */
export interface Stoppable {
  kill(signal: Deno.Signal): void;
  exited: Promise<void>;
}

/**
 * Sends SIGTERM, waits up to `graceMs` for the process to exit, then SIGKILL; resolves once it is
 * gone. The grace timer is cleared as soon as the process exits.
 *
 * @example
 * ```ts
 * await terminate({ kill: (signal) => child.kill(signal), exited: child.status.then(() => {}) }, 5_000);
 * ```
 */
export async function terminate(process: Stoppable, graceMs: number): Promise<void> {
  const signal = (name: Deno.Signal) => {
    try {
      process.kill(name);
    } catch { /* already gone */ }
  };
  signal("SIGTERM");
  let timer: ReturnType<typeof setTimeout> | undefined;
  const graceOver = new Promise<"timeout">((resolve) => {
    timer = setTimeout(() => resolve("timeout"), graceMs);
  });
  const outcome = await Promise.race([process.exited.then(() => "exited" as const), graceOver]);
  clearTimeout(timer);
  if (outcome === "timeout") signal("SIGKILL");
  await process.exited;
}

/**
 * Resolves once `pid` has exited or is no longer the process `fingerprint` describes, polling every
 * `intervalMs`; resolves at once when `signal` aborts (the caller stopped watching).
 */
export async function watchExit(
  pid: number,
  fingerprint: ProcessFingerprint,
  signal: AbortSignal,
  intervalMs = 250,
): Promise<void> {
  while (!signal.aborted && isSameProcess(pid, fingerprint)) await sleep(intervalMs, signal);
}

/** The preferred port when it is free on 127.0.0.1, else any free port (and why, in the log). */
export function pickPort(preferred: number, log: (line: string) => void): number {
  try {
    const listener = Deno.listen({ hostname: "127.0.0.1", port: preferred });
    const { port } = listener.addr as Deno.NetAddr;
    listener.close();
    return port;
  } catch {
    const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
    const { port } = listener.addr as Deno.NetAddr;
    listener.close();
    log(`Port ${preferred} is held by another program; using ${port} for opencode`);
    return port;
  }
}

/** The lines of a byte stream (a child's stdout or stderr), the last one even without a newline. */
export async function* lines(stream: ReadableStream<Uint8Array>): AsyncGenerator<string> {
  const decoder = new TextDecoder();
  let buffer = "";
  for await (const bytes of stream) {
    buffer += decoder.decode(bytes, { stream: true });
    let newline;
    while ((newline = buffer.indexOf("\n")) >= 0) {
      yield buffer.slice(0, newline);
      buffer = buffer.slice(newline + 1);
    }
  }
  if (buffer) yield buffer;
}

/**
 * Calls `onLine` with each line appended to the file at `path`, polling every `intervalMs`, until
 * `signal` aborts; then reads what is left and resolves. `ended` is awaited with it (for callers
 * that abort when a process exits).
 *
 * @example
 * ```ts
 * await tailFile("/tmp/opencode.log", console.log, stop.signal);
 * ```
 */
export async function tailFile(
  path: string,
  onLine: (line: string) => void,
  signal: AbortSignal,
  ended?: Promise<unknown>,
  intervalMs = 100,
): Promise<void> {
  const decoder = new TextDecoder();
  let offset = 0;
  let buffer = "";
  const readNew = async () => {
    try {
      using file = await Deno.open(path);
      await file.seek(offset, Deno.SeekMode.Start);
      const chunk = new Uint8Array(64 * 1024);
      let read;
      while ((read = await file.read(chunk)) !== null && read > 0) {
        offset += read;
        buffer += decoder.decode(chunk.subarray(0, read), { stream: true });
      }
    } catch { /* not created yet */ }
    let newline;
    while ((newline = buffer.indexOf("\n")) >= 0) {
      onLine(buffer.slice(0, newline));
      buffer = buffer.slice(newline + 1);
    }
  };
  while (!signal.aborted) {
    await readNew();
    await sleep(intervalMs, signal);
  }
  await readNew();
  if (buffer) onLine(buffer);
  await ended;
}
