/**
 * An event as Palot's hub relays it to tabs on `/api/events`: OpenCode's `{directory, payload}`,
 * or one of Palot's own (`palot.connection`, `palot.resync`). The server stamps and frames it
 * (`lib/server/events/`); the browser's store reads it (`lib/client/live/`).
 */

/** An event as tabs receive it: OpenCode's `{directory, payload}`, or one of Palot's own. */
export interface HubEvent {
  directory: string;
  payload: { type: string; properties?: unknown; [key: string]: unknown };
}
