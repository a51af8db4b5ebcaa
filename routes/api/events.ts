/**
 * `GET /api/events`: Palot's own server-sent event stream for one tab. It starts with the
 * connection state, replays what a reconnecting tab missed (`Last-Event-ID`, or `?lastEventId=`),
 * or tells it to resync when that is no longer in the buffer, then streams every event live with
 * an id `<epoch>:<n>`. A comment every 15 s keeps proxies from closing it.
 *
 * Not Hono's `streamSSE`: its `writeSSE` formats and encodes every message for every tab, where
 * here each event's frame is encoded once by the hub and the same bytes go to every tab (one tool
 * output can be megabytes, fanned out to many tabs); and a tab that falls more than 8 MB behind is
 * cut off by reading the stream's queue, which `streamSSE`'s awaited writes do not expose.
 */

import { Hono } from "hono";
import type { AppServices } from "../../lib/server/services.ts";
import type { BufferedEvent } from "../../lib/server/events/hub.ts";
import { dataFrame } from "../../lib/server/events/frame.ts";
import { palotEvent } from "../../lib/server/events/live.ts";

const HEARTBEAT_MS = 15_000;
/** A tab this many bytes behind is cut off; it reconnects and resumes or resyncs. */
const MAX_QUEUED_BYTES = 8 * 1024 * 1024;

const encoder = new TextEncoder();

/** `chunks` joined into one array. */
function concat(chunks: Uint8Array[]): Uint8Array {
  const joined = new Uint8Array(chunks.reduce((length, chunk) => length + chunk.byteLength, 0));
  let offset = 0;
  for (const chunk of chunks) {
    joined.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return joined;
}

/**
 * The `/api/events` route; answers 503 when the app has no live layer. Each message is
 * `id: <epoch>:<n>` and `data: <JSON {directory, payload}>` (the default `message` event type);
 * the connection state sent first and the resync for a too-old id carry no id, so they never move
 * a tab's resume point.
 *
 * @example
 * ```ts
 * app.route("/api/events", eventRoutes(services));
 * ```
 */
export function eventRoutes({ live }: AppServices): Hono {
  const routes = new Hono();
  routes.get("/", (c) => {
    if (!live) return c.json({ error: "Live events are not available" }, 503);
    const { hub } = live;
    const lastEventId = c.req.header("last-event-id") ?? c.req.query("lastEventId");
    let unsubscribe: (() => void) | undefined;
    let heartbeat: ReturnType<typeof setInterval> | undefined;
    let closed = false;
    const stop = () => {
      closed = true;
      unsubscribe?.();
      clearInterval(heartbeat);
    };
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        // Frames sent in the same tick (OpenCode sends bursts) leave as one chunk: one write.
        let pending: Uint8Array[] = [];
        const flush = () => {
          const frames = pending;
          pending = [];
          if (closed) return;
          if ((controller.desiredSize ?? 0) < -MAX_QUEUED_BYTES) {
            stop();
            controller.close();
            return;
          }
          controller.enqueue(frames.length === 1 ? frames[0] : concat(frames));
        };
        const send = (frame: string | Uint8Array) => {
          if (pending.length === 0) queueMicrotask(flush);
          pending.push(typeof frame === "string" ? encoder.encode(frame) : frame);
        };
        // Frames are the hub's, shared by every tab: a stream only reads what it is given.
        const sendBuffered = ({ frame }: BufferedEvent) => send(frame);
        send("retry: 1000\n\n");
        send(dataFrame(palotEvent("palot.connection", { connected: live.connected })));
        if (lastEventId) {
          const [epoch, count] = lastEventId.split(":");
          const missed = epoch === hub.epoch ? hub.since(Number(count)) : "too-old";
          if (missed === "too-old") send(dataFrame(palotEvent("palot.resync")));
          else missed.forEach(sendBuffered);
        }
        unsubscribe = hub.subscribe(sendBuffered, {
          onClose: () => {
            stop();
            controller.close();
          },
        });
        heartbeat = setInterval(() => send(": ping\n\n"), HEARTBEAT_MS);
      },
      cancel: stop,
    }, new ByteLengthQueuingStrategy({ highWaterMark: 0 }));
    return new Response(body, {
      headers: {
        "content-type": "text/event-stream; charset=utf-8",
        "cache-control": "no-cache, no-store",
        "x-accel-buffering": "no",
      },
    });
  });
  return routes;
}
