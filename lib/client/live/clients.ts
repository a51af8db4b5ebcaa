/**
 * The browser's only way to reach OpenCode: one SDK v2 client per project directory, all on
 * Palot's same-origin proxy (`/api/opencode`), which adds the password the browser never sees.
 */

import { createOpencodeClient, type OpencodeClient } from "@opencode-ai/sdk/v2/client";
import { opencodeBase } from "./page_server.ts";

const clients = new Map<string, OpencodeClient>();

/**
 * The cached client for `directory`.
 *
 * @example
 * ```ts
 * const { data } = await getProjectClient(directory).app.agents();
 * ```
 */
export function getProjectClient(directory: string): OpencodeClient {
  let client = clients.get(directory);
  if (!client) {
    client = createOpencodeClient({
      // Another machine's page reaches that machine's OpenCode (`/api/servers/<id>/opencode`).
      baseUrl: new URL(opencodeBase(), location.origin).href,
      directory,
    });
    clients.set(directory, client);
  }
  return client;
}
