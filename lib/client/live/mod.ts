/** The browser-side live layer: signal stores, the event connection, and per-directory clients. */

export { getProjectClient } from "./clients.ts";
export { connectEvents } from "./connection.ts";
export * from "./store.ts";
