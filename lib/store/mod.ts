/** The browser-side live layer: signal stores, the event connection, and per-directory clients. */

export { getProjectClient } from "./clients.ts";
export { connectEvents } from "./connection.ts";
export {
  errorText,
  flush,
  messageEntries,
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
  updateSession,
  vcsBranches,
  watchSession,
} from "./store.ts";
