/**
 * Palot's one subscription to OpenCode's global event stream (`GET /global/event`), whatever the
 * number of projects or tabs. A watchdog treats silence (OpenCode sends `server.heartbeat` about
 * every 10 s) as a dead stream; it then reconnects with exponential backoff, and at once when the
 * supervisor reports a new server. Every request has a timeout: opencode can accept a connection
 * and never answer it. The stream is parsed by `eventsource-parser` (every line ending the SSE
 * specification allows, however the bytes are split).
 */

import { createParser } from "eventsource-parser";
import { sleep } from "../sleep.ts";
import type { OpencodeEndpoint } from "../opencode/endpoint.ts";
import type { HubEvent } from "../../common/hub_event.ts";
import { errorText } from "../error_text.ts";

/** Where the upstream finds the server, and hears that it changed. */
export interface UpstreamSource {
  endpoint(): OpencodeEndpoint | undefined;
  /** Calls `listener` whenever the server's status changes; returns the unsubscribe function. */
  subscribe?(listener: () => void): () => void;
}

export interface UpstreamOptions {
  source: UpstreamSource;
  /** Every event, in order. */
  onEvent(event: HubEvent): void;
  /** Connection transitions: `true` once the stream is open, `false` when it is lost. */
  onConnection?(connected: boolean): void;
  /** Silence after which the stream counts as dead (default 30 s). */
  silenceMs?: number;
  /** Longest wait for the stream's response headers (default 10 s). */
  connectTimeoutMs?: number;
  backoffInitialMs?: number;
  backoffMaxMs?: number;
  log?: (line: string) => void;
}

/** The longest event accepted (characters); a longer one ends the connection, which is retried. */
const MAX_EVENT_CHARS = 64 * 1024 * 1024;

/**
 * The upstream reader.
 *
 * @example
 * ```ts
 * const upstream = new UpstreamEvents({ source: supervisor, onEvent: (event) => hub.publish(event) });
 * upstream.start();
 * // ...
 * await upstream.stop();
 * ```
 */
export class UpstreamEvents {
  #options: Required<Omit<UpstreamOptions, "onConnection" | "log">> & UpstreamOptions;
  #connected = false;
  #stopped = new AbortController();
  /** Aborts the current attempt (stream or backoff wait) to reconnect at once. */
  #attempt: AbortController | undefined;
  #loop: Promise<void> | undefined;
  #unsubscribe: (() => void) | undefined;
  #lastEndpoint: OpencodeEndpoint | undefined;

  constructor(options: UpstreamOptions) {
    this.#options = {
      ...options,
      silenceMs: options.silenceMs ?? 30_000,
      connectTimeoutMs: options.connectTimeoutMs ?? 10_000,
      backoffInitialMs: options.backoffInitialMs ?? 250,
      backoffMaxMs: options.backoffMaxMs ?? 10_000,
    };
  }

  /** Whether the stream is open now (headers received, not yet lost). */
  get connected(): boolean {
    return this.#connected;
  }

  /** Starts reading in the background (waiting for an endpoint if there is none yet). */
  start(): void {
    if (this.#loop) return;
    this.#unsubscribe = this.#options.source.subscribe?.(() => {
      // A new server (or one that went away): drop the current attempt and start over now.
      if (this.#options.source.endpoint() !== this.#lastEndpoint) this.#attempt?.abort();
    });
    this.#loop = this.#run();
  }

  /** Closes the stream and stops reconnecting; resolves once the reader has finished. */
  async stop(): Promise<void> {
    this.#stopped.abort();
    this.#attempt?.abort();
    this.#unsubscribe?.();
    await this.#loop;
  }

  async #run(): Promise<void> {
    let delay = this.#options.backoffInitialMs;
    while (!this.#stopped.signal.aborted) {
      const attempt = new AbortController();
      this.#attempt = attempt;
      const endpoint = this.#options.source.endpoint();
      if (!endpoint) {
        await sleep(250, attempt.signal);
        continue;
      }
      this.#lastEndpoint = endpoint;
      let received = false;
      try {
        received = await this.#stream(endpoint, attempt);
      } catch (error) {
        if (!attempt.signal.aborted) {
          this.#options.log?.(`Event stream failed: ${errorText(error)}`);
        }
      }
      this.#setConnected(false);
      if (this.#stopped.signal.aborted) break;
      if (received) delay = this.#options.backoffInitialMs;
      // An endpoint change aborted the attempt: reconnect without waiting.
      if (attempt.signal.aborted && this.#options.source.endpoint() !== endpoint) continue;
      const wait = new AbortController();
      this.#attempt = wait;
      await sleep(delay, wait.signal);
      delay = Math.min(delay * 2, this.#options.backoffMaxMs);
    }
  }

  /** Reads one connection until it ends; resolves whether any event arrived. */
  async #stream(endpoint: OpencodeEndpoint, attempt: AbortController): Promise<boolean> {
    const stop = () => attempt.abort();
    this.#stopped.signal.addEventListener("abort", stop, { once: true });
    let watchdog = setTimeout(() => {
      this.#options.log?.(
        `OpenCode did not answer the event stream within ${
          this.#options.connectTimeoutMs / 1000
        } s; retrying`,
      );
      attempt.abort();
    }, this.#options.connectTimeoutMs);
    const feed = () => {
      clearTimeout(watchdog);
      watchdog = setTimeout(() => {
        this.#options.log?.(
          `No event from OpenCode for ${this.#options.silenceMs / 1000} s; reconnecting`,
        );
        attempt.abort();
      }, this.#options.silenceMs);
    };
    let received = false;
    let forgetBody = () => {};
    try {
      const response = await fetch(`${endpoint.url}/global/event`, {
        headers: { authorization: endpoint.authorization, accept: "text/event-stream" },
        signal: attempt.signal,
      });
      if (!response.ok || !response.body) {
        await response.body?.cancel();
        throw new Error(`OpenCode answered ${response.status}`);
      }
      feed();
      this.#setConnected(true);
      const decoder = new TextDecoder();
      const parser = createParser({
        maxBufferSize: MAX_EVENT_CHARS,
        onEvent: ({ data }) => {
          const event = parseEvent(data);
          if (!event) return;
          received = true;
          try {
            this.#options.onEvent(event);
          } catch (error) {
            // A consumer's bug must not cost the stream (and every event after it).
            this.#options.log?.(
              `Handling a ${event.payload.type} event failed: ${(error as Error).message}`,
            );
          }
        },
        onError: (error) => {
          this.#options.log?.(`OpenCode sent an event Palot cannot read: ${error.message}`);
          attempt.abort();
        },
      });
      // Cancelled explicitly on abort: an aborted fetch does not always end a pending body read.
      const body = response.body.getReader();
      const cancel = () => body.cancel().catch(() => {});
      if (attempt.signal.aborted) cancel();
      attempt.signal.addEventListener("abort", cancel, { once: true });
      forgetBody = () => attempt.signal.removeEventListener("abort", cancel);
      while (!attempt.signal.aborted) {
        const { value: bytes, done } = await body.read();
        if (done) break;
        feed();
        parser.feed(decoder.decode(bytes, { stream: true }));
      }
    } finally {
      forgetBody();
      clearTimeout(watchdog);
      this.#stopped.signal.removeEventListener("abort", stop);
    }
    return received;
  }

  #setConnected(connected: boolean): void {
    if (this.#connected === connected) return;
    this.#connected = connected;
    this.#options.onConnection?.(connected);
  }
}

/** The `{directory, payload}` of one SSE message's data, or `undefined` for anything else. */
function parseEvent(data: string): HubEvent | undefined {
  try {
    const event = JSON.parse(data);
    if (event && typeof event.payload?.type === "string") {
      return {
        directory: typeof event.directory === "string" ? event.directory : "",
        payload: event.payload,
      };
    }
  } catch { /* not JSON: ignore */ }
  return undefined;
}
