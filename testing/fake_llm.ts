/**
 * A scripted, OpenAI-compatible chat-completions server on loopback: the only fake in Palot's
 * tests. The real opencode is pointed at it through an `@ai-sdk/openai-compatible` provider
 * (see `world.ts`), so every other part (opencode, Palot, the browser) is real. Replies are taken
 * from a queue in order; title-generation requests are answered apart so they never consume one.
 *
 * @example
 * ```ts
 * await using llm = await FakeLlm.start();
 * llm.enqueue({ text: "Hello **there**" }, { toolCalls: [{ name: "bash", arguments: { command: "ls", description: "List" } }] });
 * ```
 */

import { sleep } from "../lib/server/sleep.ts";

/** One scripted answer to one chat-completions request. */
export interface ScriptedReply {
  /** Text streamed as content chunks. */
  text?: string;
  /** Reasoning streamed before the text (as `reasoning_content`). */
  reasoning?: string;
  /** Tool calls streamed after the text; the turn then ends with `finish_reason: "tool_calls"`. */
  toolCalls?: { name: string; arguments: Record<string, unknown> }[];
  /** Characters per streamed chunk (default 8). */
  chunkSize?: number;
  /** Delay between chunks in milliseconds (default 0): makes a slow stream to test Stop. */
  chunkDelayMs?: number;
  /**
   * Answer with this HTTP error instead of a stream; `type` is the error body's (default
   * `server_error`, which OpenCode retries; `invalid_request_error` fails the turn at once).
   */
  error?: { status: number; message: string; type?: string };
}

/** The body of a chat-completions request, as far as tests look at it. */
export interface ChatRequest {
  model: string;
  stream?: boolean;
  messages: { role: string; content: unknown }[];
  tools?: { function: { name: string } }[];
}

const DEFAULT_REPLY: ScriptedReply = { text: "OK" };

/** The fake LLM server. Start it with {@linkcode FakeLlm.start}; close it with `await using`. */
export class FakeLlm {
  #server: Deno.HttpServer<Deno.NetAddr>;
  #queue: ScriptedReply[] = [];
  #aborts = new Set<AbortController>();
  /** Every non-title request received, in order. */
  readonly requests: ChatRequest[] = [];
  /** The `authorization` header of each of those requests (the API key the provider was given). */
  readonly authorizations: string[] = [];
  /** Keys its models list refuses with a 401, as a provider refuses a wrong key. */
  readonly refusedKeys = new Set<string>();
  /** Title returned to opencode's title generator. */
  title = "Scripted title";

  private constructor() {
    this.#server = Deno.serve(
      { hostname: "127.0.0.1", port: 0, onListen: () => {} },
      (request) => this.#handle(request),
    );
  }

  /** Starts the server on a free loopback port. */
  static start(): Promise<FakeLlm> {
    return Promise.resolve(new FakeLlm());
  }

  /** Base URL for the provider's `options.baseURL`, ending in `/v1`. */
  get baseUrl(): string {
    return `http://127.0.0.1:${this.#server.addr.port}/v1`;
  }

  /** Appends replies to the queue; each request that is not a title request takes the next. */
  enqueue(...replies: ScriptedReply[]): void {
    this.#queue.push(...replies);
  }

  /** Drops the replies not used yet (for example after a turn was stopped early). */
  clear(): void {
    this.#queue.length = 0;
  }

  /** How many scripted replies have not been used yet. */
  get pending(): number {
    return this.#queue.length;
  }

  async close(): Promise<void> {
    for (const abort of this.#aborts) abort.abort();
    await this.#server.shutdown();
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  async #handle(request: Request): Promise<Response> {
    const url = new URL(request.url);
    if (url.pathname.endsWith("/models")) {
      const key = (request.headers.get("authorization") ?? "").replace(/^Bearer /, "");
      if (this.refusedKeys.has(key)) {
        return Response.json({ error: { message: "Incorrect API key provided" } }, {
          status: 401,
        });
      }
      return Response.json({ object: "list", data: [{ id: "mock-1", object: "model" }] });
    }
    if (!url.pathname.endsWith("/chat/completions") || request.method !== "POST") {
      return new Response("Not found", { status: 404 });
    }
    const body = await request.json() as ChatRequest;
    const isTitle = JSON.stringify(body.messages).includes("title generator");
    if (!isTitle) {
      this.requests.push(body);
      this.authorizations.push(request.headers.get("authorization") ?? "");
    }
    const reply = isTitle ? { text: this.title } : this.#queue.shift() ?? DEFAULT_REPLY;
    if (reply.error) {
      return Response.json({
        error: { message: reply.error.message, type: reply.error.type ?? "server_error" },
      }, {
        status: reply.error.status,
      });
    }
    if (body.stream === false) return Response.json(completion(reply));
    const abort = new AbortController();
    this.#aborts.add(abort);
    const chunks = streamChunks(reply);
    const encoder = new TextEncoder();
    const stream = new ReadableStream<Uint8Array>({
      pull: async (controller) => {
        const next = chunks.next();
        if (next.done || abort.signal.aborted) {
          this.#aborts.delete(abort);
          controller.enqueue(encoder.encode("data: [DONE]\n\n"));
          controller.close();
          return;
        }
        if (reply.chunkDelayMs) await sleep(reply.chunkDelayMs, abort.signal);
        controller.enqueue(encoder.encode(`data: ${JSON.stringify(next.value)}\n\n`));
      },
      cancel: () => {
        this.#aborts.delete(abort);
      },
    });
    return new Response(stream, {
      headers: { "content-type": "text/event-stream", "cache-control": "no-cache" },
    });
  }
}

function chunk(delta: Record<string, unknown>, finishReason: string | null = null) {
  return {
    id: "chatcmpl-fake",
    object: "chat.completion.chunk",
    created: Math.floor(Date.now() / 1000),
    model: "mock-1",
    choices: [{ index: 0, delta, finish_reason: finishReason }],
  };
}

function* split(text: string, size: number): Generator<string> {
  for (let i = 0; i < text.length; i += size) yield text.slice(i, i + size);
}

function* streamChunks(reply: ScriptedReply): Generator<Record<string, unknown>> {
  const size = reply.chunkSize ?? 8;
  yield chunk({ role: "assistant", content: "" });
  for (const piece of split(reply.reasoning ?? "", size)) yield chunk({ reasoning_content: piece });
  for (const piece of split(reply.text ?? "", size)) yield chunk({ content: piece });
  const calls = reply.toolCalls ?? [];
  for (const [index, call] of calls.entries()) {
    yield chunk({
      tool_calls: [{
        index,
        id: `call_${crypto.randomUUID().slice(0, 8)}`,
        type: "function",
        function: { name: call.name, arguments: JSON.stringify(call.arguments) },
      }],
    });
  }
  yield {
    ...chunk({}, calls.length ? "tool_calls" : "stop"),
    usage: { prompt_tokens: 12, completion_tokens: 7, total_tokens: 19 },
  };
}

function completion(reply: ScriptedReply) {
  return {
    id: "chatcmpl-fake",
    object: "chat.completion",
    created: Math.floor(Date.now() / 1000),
    model: "mock-1",
    choices: [{
      index: 0,
      message: { role: "assistant", content: reply.text ?? "" },
      finish_reason: "stop",
    }],
    usage: { prompt_tokens: 12, completion_tokens: 7, total_tokens: 19 },
  };
}
