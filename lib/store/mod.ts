/** The browser-side live layer: signal stores, the event connection, and per-directory clients. */

export { getProjectClient } from "./clients.ts";
export { connectEvents } from "./connection.ts";
export {
  errorText,
  flush,
  type MessageEntry,
  messagesOf,
  onResync,
  pendingForSession,
  processEvent,
  seedSessions,
  server,
  type ServerState,
  type SessionEntry,
  sessions,
  type SessionStatusName,
  type StoreEvent,
  unwatchSession,
  vcsBranches,
  watchSession,
} from "./store.ts";
