/**
 * The one `opencode serve` behind Palot, through its life: adopting the one a previous Palot left
 * running or spawning a new one (`server_process.ts`), waiting until it is ready (its `listening on`
 * line, then `/global/health` with a timeout on every request), restarting it with exponential
 * backoff when it exits or stops answering, and stopping it (SIGTERM, then SIGKILL) on shutdown,
 * also when the stop arrives while it is still starting or adopting.
 */

import { sleep } from "../../sleep.ts";
import type { BinarySource, ResolvedBinary } from "./binary.ts";
import { basicAuthorization, type EndpointSource, type OpencodeEndpoint } from "../endpoint.ts";
import { checkHealth } from "./health.ts";
import {
  adoptServer,
  outputTail,
  recordFingerprint,
  type ServerProcess,
  spawnServer,
} from "./server_process.ts";
import { terminate } from "./process.ts";
import { removeState } from "./state_file.ts";

export { checkHealth } from "./health.ts";
export { isAlive } from "./process.ts";

export type OpencodeStatus = "starting" | "ready" | "restarting" | "failed";

/** What `GET /api/opencode` reports; never the password. */
export interface OpencodeSnapshot {
  status: OpencodeStatus;
  version: string | null;
  pid: number | null;
  port: number | null;
  restarts: number;
  lastError: string | null;
  binarySource: BinarySource | null;
}

export interface SupervisorOptions {
  binary: ResolvedBinary;
  /** Preferred port; a free one is taken when another program holds it. */
  port: number;
  /** Folder of the 0600 state file used for adoption. */
  stateDir: string;
  /** Environment for opencode (default: Palot's own). */
  env?: Record<string, string>;
  /** Working directory for opencode (default: the state dir). */
  cwd?: string;
  log?: (line: string) => void;
  healthIntervalMs?: number;
  healthTimeoutMs?: number;
  /** Consecutive failed health checks that count as "stopped answering". */
  healthFailures?: number;
  startTimeoutMs?: number;
  backoffInitialMs?: number;
  backoffMaxMs?: number;
  /** Time healthy after which the backoff starts again from its initial delay. */
  backoffResetMs?: number;
  /** Time to wait after SIGTERM before SIGKILL. */
  killGraceMs?: number;
}

const DEFAULTS = {
  healthIntervalMs: 5_000,
  // Generous: opencode busy with a first prompt on a loaded machine can take seconds to answer,
  // and restarting it would lose the turn; a frozen one is still replaced within about 30 s.
  healthTimeoutMs: 5_000,
  healthFailures: 3,
  startTimeoutMs: 60_000,
  backoffInitialMs: 500,
  backoffMaxMs: 30_000,
  backoffResetMs: 60_000,
  killGraceMs: 5_000,
};

/**
 * Supervises the one OpenCode server.
 *
 * @example
 * ```ts
 * const supervisor = new OpencodeSupervisor({ binary, port: 4101, stateDir });
 * supervisor.start();
 * const endpoint = await supervisor.ready();
 * // ...
 * await supervisor.stop();
 * ```
 */
export class OpencodeSupervisor implements EndpointSource {
  #options: SupervisorOptions & typeof DEFAULTS;
  #status: OpencodeStatus = "starting";
  #version: string | null = null;
  #restarts = 0;
  #lastError: string | null = null;
  /** Set by {@linkcode OpencodeSupervisor.restart} until the loop has seen the exit it caused. */
  #restartFor: string | undefined;
  #instance: ServerProcess | undefined;
  #endpoint: OpencodeEndpoint | undefined;
  #listeners = new Set<(snapshot: OpencodeSnapshot) => void>();
  #waiters: ((endpoint: OpencodeEndpoint) => void)[] = [];
  #stopping = new AbortController();
  /** Set by `stop({keep: true})`: leave the running server for the next start. */
  #keep = false;
  #loop: Promise<void> | undefined;

  constructor(options: SupervisorOptions) {
    this.#options = { ...DEFAULTS, ...options };
  }

  /** The current endpoint, or `undefined` while OpenCode is not ready. */
  endpoint(): OpencodeEndpoint | undefined {
    return this.#endpoint;
  }

  snapshot(): OpencodeSnapshot {
    return {
      status: this.#status,
      version: this.#version,
      pid: this.#instance?.pid ?? null,
      port: this.#instance?.port ?? null,
      restarts: this.#restarts,
      lastError: this.#lastError,
      binarySource: this.#options.binary.source,
    };
  }

  /** Calls `listener` on every status change; returns the function that unsubscribes it. */
  subscribe(listener: (snapshot: OpencodeSnapshot) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Resolves with the endpoint once OpenCode is ready (at once if it is). */
  ready(): Promise<OpencodeEndpoint> {
    if (this.#endpoint) return Promise.resolve(this.#endpoint);
    return new Promise((resolve) => this.#waiters.push(resolve));
  }

  /** Starts supervising in the background; returns at once. */
  start(): void {
    this.#loop ??= this.#run();
  }

  /**
   * Stops supervising. Unless `keep` is set, OpenCode is stopped too (SIGTERM, then SIGKILL after
   * the grace period) and the state file removed; with `keep`, it is left for the next start.
   */
  async stop({ keep = false } = {}): Promise<void> {
    this.#keep = keep;
    this.#stopping.abort();
    await this.#loop;
  }

  /**
   * Restarts OpenCode now (for `reason`, logged): the running server is stopped and a new one
   * started at once, without counting as a failure. Its sessions and terminals end: the caller
   * waits until none is at work.
   */
  async restart(reason: string): Promise<void> {
    const instance = this.#instance;
    if (!instance || !this.#endpoint) return;
    this.#restartFor = reason;
    await terminate(instance, this.#options.killGraceMs);
  }

  async #run(): Promise<void> {
    try {
      await this.#supervise(this.#stopping.signal);
    } finally {
      // Whatever the loop was doing when the stop came (adopting, spawning, waiting for health),
      // the instance it holds is stopped here, unless it is to be kept.
      const instance = this.#instance;
      this.#endpoint = undefined;
      if (instance && this.#keep) {
        instance.forget();
        this.#log(`Leaving opencode (pid ${instance.pid}) running for the next start`);
      } else if (instance) {
        await terminate(instance, this.#options.killGraceMs);
        await removeState(this.#options.stateDir);
      }
    }
  }

  async #supervise(signal: AbortSignal): Promise<void> {
    let delay = this.#options.backoffInitialMs;
    let failedAttempts = 0;
    while (!signal.aborted) {
      let readyAt: number | undefined;
      /** Why a restart was asked for ({@linkcode restart}): not a failure, no wait. */
      let asked: string | undefined;
      try {
        const adopted = await adoptServer({
          stateDir: this.#options.stateDir,
          healthTimeoutMs: this.#options.healthTimeoutMs,
          log: (line) => this.#log(line),
        });
        if (!adopted && signal.aborted) return;
        // Held before it is ready, so that a stop arriving from here on stops it too.
        if (!adopted) this.#setStatus(this.#restarts === 0 ? "starting" : "restarting");
        const instance = this.#instance = adopted ??
          await spawnServer({ ...this.#options, log: (line) => this.#log(line) });
        this.#endpoint = undefined;
        await this.#waitReady(instance, signal);
        if (signal.aborted) return;
        if (!instance.adopted) await recordFingerprint(this.#options.stateDir, instance);
        readyAt = Date.now();
        failedAttempts = 0;
        this.#endpoint = {
          url: `http://127.0.0.1:${instance.port}`,
          authorization: basicAuthorization(instance.password),
          startedAt: instance.startedAt,
        };
        this.#setStatus("ready");
        for (const resolve of this.#waiters.splice(0)) resolve(this.#endpoint);
        const reason = await this.#monitor(instance, signal);
        if (signal.aborted) return;
        asked = this.#restartFor;
        this.#restartFor = undefined;
        if (asked) this.#log(`Restarting opencode: ${asked}`);
        else {
          this.#lastError = reason;
          this.#log(`opencode ${reason}; restarting`);
        }
      } catch (error) {
        if (signal.aborted) return;
        this.#lastError = (error as Error).message;
        failedAttempts++;
        this.#log(`opencode failed to start: ${this.#lastError}`);
      }
      this.#endpoint = undefined;
      if (this.#instance) await terminate(this.#instance, this.#options.killGraceMs);
      this.#instance = undefined;
      if (signal.aborted) return;
      if (readyAt !== undefined && Date.now() - readyAt >= this.#options.backoffResetMs) {
        delay = this.#options.backoffInitialMs;
      }
      this.#restarts++;
      this.#setStatus(failedAttempts >= 5 ? "failed" : "restarting");
      if (asked) continue;
      await sleep(delay, signal);
      delay = Math.min(delay * 2, this.#options.backoffMaxMs);
    }
  }

  /** Waits for `listening on` (spawned only) and a healthy answer, within the start timeout. */
  async #waitReady(instance: ServerProcess, signal: AbortSignal): Promise<void> {
    const deadline = Date.now() + this.#options.startTimeoutMs;
    let exited = false;
    instance.exited.then(() => exited = true);
    const url = `http://127.0.0.1:${instance.port}`;
    const authorization = basicAuthorization(instance.password);
    while (!signal.aborted) {
      if (exited) throw new Error(`opencode exited during start: ${outputTail(instance.output)}`);
      const listening = instance.adopted ||
        instance.output.some((line) => line.includes("listening on"));
      if (listening) {
        const health = await checkHealth(url, authorization, this.#options.healthTimeoutMs);
        if (health) {
          this.#version = health.version;
          return;
        }
      }
      if (Date.now() > deadline) {
        throw new Error(
          `opencode did not answer within ${this.#options.startTimeoutMs / 1000} s: ${
            outputTail(instance.output)
          }`,
        );
      }
      await sleep(100, signal);
    }
  }

  /** Resolves with the reason once the instance exits or fails health checks in a row. */
  async #monitor(instance: ServerProcess, signal: AbortSignal): Promise<string> {
    let failures = 0;
    let exited = false;
    instance.exited.then(() => exited = true);
    const url = `http://127.0.0.1:${instance.port}`;
    const authorization = basicAuthorization(instance.password);
    while (!signal.aborted) {
      await Promise.race([sleep(this.#options.healthIntervalMs, signal), instance.exited]);
      if (signal.aborted) break;
      if (exited) return `exited (pid ${instance.pid})`;
      const health = await checkHealth(url, authorization, this.#options.healthTimeoutMs);
      failures = health ? 0 : failures + 1;
      if (failures >= this.#options.healthFailures) {
        return `stopped answering health checks (pid ${instance.pid})`;
      }
    }
    return "stopping";
  }

  #setStatus(status: OpencodeStatus): void {
    this.#status = status;
    const snapshot = this.snapshot();
    for (const listener of this.#listeners) listener(snapshot);
  }

  #log(line: string): void {
    (this.#options.log ?? console.log)(line);
  }
}
