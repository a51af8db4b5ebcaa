/**
 * The store's public face for islands: the live state (`state.ts`), the queue that feeds it
 * (`scheduler.ts`) and how events change it (`reducer.ts`). {@linkcode processEvent} routes each
 * event by its own content (`info.directory`, `sessionID`), never by a server id.
 */

export {
  messageEntries,
  type MessageEntry,
  messagesOf,
  onResync,
  pendingForSession,
  seedSessions,
  server,
  type ServerState,
  type SessionEntry,
  sessions,
  type StoreEvent,
  updateSession,
  vcsBranches,
  watchSession,
} from "./state.ts";
export type { SessionStatusName } from "../../common/session_status.ts";
export { errorText } from "../../common/values.ts";
export { flush, processEvent } from "./scheduler.ts";
