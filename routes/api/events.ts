/**
 * `GET /api/events`: Palot's own server-sent event stream for one tab. It starts with the
 * connection state, replays what a reconnecting tab missed (`Last-Event-ID`, or `?lastEventId=`),
 * or tells it to resync when that is no longer in the buffer, then streams every event live with
 * an id `<epoch>:<n>`. A comment every 15 s keeps proxies from closing it.
 */

import { Hono } from "hono";
import type { AppServices } from "../../lib/app.ts";
import type { StampedEvent } from "../../lib/events/hub.ts";
import { palotEvent } from "../../lib/events/live.ts";

const HEARTBEAT_MS = 15_000;
/** A tab this many bytes behind is cut off; it reconnects and resumes or resyncs. */
const MAX_QUEUED_BYTES = 8 * 1024 * 1024;

const encoder = new TextEncoder();
/**
 * Each event's frame, serialized and encoded once however many tabs receive (or replay) it. Tabs
 * share the bytes: a stream only reads what it is given, and `Deno.serve` copies it out.
 */
const frames = new WeakMap<StampedEvent, Uint8Array>();

/**
 * The SSE frame of one hub event, `id: <epoch>:<n>\ndata: <JSON {directory, payload}>\n\n`, as
 * UTF-8 bytes that must not be modified.
 *
 * @example
 * ```ts
 * hub.subscribe((stamped) => controller.enqueue(eventFrame(hub.epoch, stamped)));
 * ```
 */
export function eventFrame(epoch: string, stamped: StampedEvent): Uint8Array {
  let frame = frames.get(stamped);
  if (frame === undefined) {
    frame = encoder.encode(
      `id: ${epoch}:${stamped.id}\ndata: ${JSON.stringify(stamped.event)}\n\n`,
    );
    frames.set(stamped, frame);
  }
  return frame;
}

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
        const sendStamped = (stamped: StampedEvent) => send(eventFrame(hub.epoch, stamped));
        send("retry: 1000\n\n");
        send(
          `data: ${
            JSON.stringify(palotEvent("palot.connection", { connected: live.connected }))
          }\n\n`,
        );
        if (lastEventId) {
          const [epoch, count] = lastEventId.split(":");
          const missed = epoch === hub.epoch ? hub.since(Number(count)) : "too-old";
          if (missed === "too-old") send(`data: ${JSON.stringify(palotEvent("palot.resync"))}\n\n`);
          else missed.forEach(sendStamped);
        }
        unsubscribe = hub.subscribe(sendStamped, {
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
