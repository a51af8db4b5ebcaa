/**
 * The relay benchmark: how many events per second Palot's server carries from an upstream event
 * stream to ten tabs over real HTTP on loopback, none lost. The real opencode cannot produce
 * events fast enough to find Palot's limit (see `streaming.ts` for what it does produce), so the
 * upstream here is a loopback server speaking `/global/event`'s format as fast as Palot reads
 * it; the rest is Palot's own app (`createApp`, `LiveEvents`, `/api/events`) behind `Deno.serve`.
 * The ten readers run in this process too, so the figure is a lower bound. Palot joins deltas of
 * one part that arrive together, so each reader counts the deltas' text (one `word ` per upstream
 * event), not the events it receives.
 */

import { LiveEvents } from "../lib/server/events/live.ts";
import { sleep } from "../lib/server/sleep.ts";
import { appOver } from "../testing/app_over.ts";
import { poseAsOpencode } from "../testing/pose_as_opencode.ts";
import { freePort, waitFor } from "../testing/world.ts";

/** The text of every upstream delta, counted by the readers. */
const WORD = "word ";
const DELTA = JSON.stringify({
  directory: "/bench/project",
  payload: {
    type: "message.part.delta",
    properties: {
      sessionID: "ses_1",
      messageID: "msg_1",
      partID: "prt_1",
      field: "text",
      delta: WORD,
    },
  },
});

/**
 * Events per second from the upstream's first event until every one of `tabs` readers of
 * `/api/events` has received all `events`; throws when a reader lost any.
 *
 * @example
 * ```ts
 * console.log(await relayThroughput(20_000, 10));
 * ```
 */
export async function relayThroughput(events: number, tabs: number): Promise<number> {
  const encoder = new TextEncoder();
  const batch = encoder.encode(`data: ${DELTA}\n\n`.repeat(100));
  let startedAt = 0;
  let sent = 0;
  const upstreamReleased = Promise.withResolvers<void>();
  await using upstream = poseAsOpencode((request) => {
    if (new URL(request.url).pathname !== "/global/event") return Response.json({});
    return new Response(
      new ReadableStream<Uint8Array>({
        async pull(controller) {
          // Held until every tab is subscribed, then as fast as Palot reads; then silent.
          await upstreamReleased.promise;
          if (sent >= events) return new Promise(() => {});
          startedAt ||= performance.now();
          controller.enqueue(batch);
          sent += 100;
        },
      }, { highWaterMark: 0 }),
      { headers: { "content-type": "text/event-stream" } },
    );
  });
  const live = new LiveEvents({ source: { endpoint: () => upstream.endpoint } });
  // No OpenCode data is needed: only the event route is measured.
  using palot = appOver("/nonexistent/opencode", {
    endpoint: upstream.endpoint,
    port: freePort(),
    live,
  });
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: palot.config.port, onListen: () => {} },
    palot.app.fetch,
  );
  live.start();
  const counts = new Array<number>(tabs).fill(0);
  const finishedAt = new Array<number>(tabs).fill(0);
  const readers: Promise<void>[] = [];
  const aborts = new AbortController();
  try {
    for (let tab = 0; tab < tabs; tab++) {
      const response = await fetch(`http://127.0.0.1:${server.addr.port}/api/events`, {
        signal: aborts.signal,
      });
      if (!response.ok) throw new Error(`/api/events answered ${response.status}`);
      readers.push((async () => {
        const decoder = new TextDecoder();
        let carry = "";
        try {
          for await (const bytes of response.body!) {
            const text = carry + decoder.decode(bytes, { stream: true });
            let from = 0;
            for (let at; (at = text.indexOf(WORD, from)) >= 0;) {
              counts[tab]++;
              from = at + WORD.length;
            }
            // Keep the tail, which may hold the start of a word split across chunks.
            carry = text.slice(Math.max(from, text.length - WORD.length + 1));
            if (counts[tab] >= events) {
              finishedAt[tab] = performance.now();
              break;
            }
          }
        } catch { /* aborted */ }
      })());
    }
    await waitFor(() => live.connected, { message: "the relay to connect upstream" });
    upstreamReleased.resolve();
    await Promise.race([Promise.all(readers), sleep(120_000)]);
    if (counts.some((count) => count < events)) {
      throw new Error(`A tab lost events: received ${counts.join(", ")} of ${events}`);
    }
    return events / ((Math.max(...finishedAt) - startedAt) / 1000);
  } finally {
    aborts.abort();
    await Promise.all(readers);
    await live.stop();
    await server.shutdown();
  }
}
