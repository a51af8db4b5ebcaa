/**
 * An event as Palot's hub relays it to tabs on `/api/events`: OpenCode's `{directory, payload}`,
 * or one of Palot's own (`palot.connection`, `palot.resync`). The server stamps and frames it
 * (`lib/server/events/`); the browser's store reads it (`lib/client/live/`). On the wire it is
 * whatever JSON arrived; {@linkcode EventProperties} names, from the SDK, what OpenCode declares an
 * event of a type to carry, for code that has checked the type.
 */

import type { Event } from "@opencode-ai/sdk/v2/client";

/** What OpenCode's SDK declares an event of type `T` to carry. */
export type EventProperties<T extends Event["type"]> = Extract<Event, { type: T }>["properties"];

/** An event as tabs receive it: OpenCode's `{directory, payload}`, or one of Palot's own. */
export interface HubEvent {
  directory: string;
  /** The remote server it came from (Palot's id for it); absent for this machine's own. */
  server?: string;
  payload: { type: string; properties?: unknown; [key: string]: unknown };
}
