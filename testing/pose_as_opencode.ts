/**
 * A tiny loopback server posing as OpenCode, for what the real opencode cannot be made to do on
 * cue in tests: odd SSE framing, a request that is never answered, a server replaced by another.
 * Everything else is tested against the real opencode.
 *
 * @example
 * ```ts
 * await using fake = poseAsOpencode(() => streamOf([`data: {"payload":{"type":"x"}}\n\n`]));
 * new UpstreamEvents({ source: { endpoint: () => fake.endpoint }, onEvent });
 * ```
 */

import type { OpencodeEndpoint } from "../lib/server/opencode/endpoint.ts";

/** A loopback server whose every request is answered by `respond`. */
export function poseAsOpencode(respond: (request: Request) => Response | Promise<Response>) {
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, respond);
  const endpoint: OpencodeEndpoint = {
    url: `http://127.0.0.1:${server.addr.port}`,
    authorization: "Basic test",
  };
  return { endpoint, [Symbol.asyncDispose]: () => server.shutdown() };
}

/** A streaming response that sends `chunks` and then stays open, silent, until cancelled. */
export function streamOf(chunks: string[]): Response {
  const encoder = new TextEncoder();
  return new Response(
    new ReadableStream({
      start(controller) {
        for (const chunk of chunks) controller.enqueue(encoder.encode(chunk));
      },
    }),
    { headers: { "content-type": "text/event-stream" } },
  );
}
