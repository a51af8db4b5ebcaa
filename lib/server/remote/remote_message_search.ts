/**
 * Other machines' messages that match a search, from Palot's index of each server's messages
 * ({@linkcode RemoteMessageIndex}, read through its API): answered from Palot's own files, so a
 * search never waits on another machine, and finds a message in any session read so far. A server
 * whose history is still being read is named with how far the reading is.
 */

import type { SessionSummary } from "../../common/discovery_types.ts";
import type { RemoteServer } from "./remote_server.ts";
import type { RemoteServers } from "./remote_servers.ts";

/** A message of another machine's session that matches. */
export interface RemoteMessageHit {
  server: RemoteServer;
  session: SessionSummary;
  messageID: string;
  kind: "text" | "tool";
  /** The matching text around the match, marked as the index's snippets are. */
  snippet: string;
}

export interface RemoteMessageSearch {
  hits: RemoteMessageHit[];
  /** Servers whose history is not read whole yet, by name, with how far it is. */
  incomplete: string[];
}

/**
 * Up to `limit` matching messages (one per session: titles' and texts' best, then the newest) of
 * the servers of `remotes`.
 *
 * @example
 * ```ts
 * const { hits } = searchRemoteMessages(remotes, "flaky test", 20);
 * ```
 */
export function searchRemoteMessages(
  remotes: RemoteServers | undefined,
  query: string,
  limit: number,
): RemoteMessageSearch {
  const hits: RemoteMessageHit[] = [];
  const incomplete: string[] = [];
  for (const server of remotes?.list() ?? []) {
    const index = remotes?.messageIndex(server.id);
    if (!index) continue;
    for (const hit of index.search(query, limit)) {
      const session = server.catalog.getSession(hit.sessionID);
      if (!session || !hit.messageID || hit.kind === "title") continue;
      hits.push({
        server,
        session,
        messageID: hit.messageID,
        kind: hit.kind,
        snippet: hit.snippet,
      });
    }
    const { read, total } = index.progress();
    if (read < total) {
      incomplete.push(
        `${server.name} (${read.toLocaleString("en")} of ${
          total.toLocaleString("en")
        } sessions read so far)`,
      );
    }
  }
  return { hits: hits.slice(0, limit), incomplete };
}
