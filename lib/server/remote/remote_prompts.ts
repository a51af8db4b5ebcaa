/**
 * The user's own earlier messages in another machine's project, newest first, for the composer's
 * Up/Down history (as `DiscoveryStore.listPrompts` reads this machine's from `opencode.db`): the
 * texts of the user's messages in the project's latest sessions, read through that server's API
 * within one deadline. A session that does not answer in time adds nothing.
 */

import type { MessageWithParts } from "../../common/message.ts";
import { PROMPT_SESSIONS, promptList } from "../../common/discovery_types.ts";
import type { RemoteServer } from "./remote_server.ts";

/** Longest the history waits for the other machine. */
const DEADLINE_MS = 3_000;
/** Messages read per session (its latest). */
const MESSAGES_PER_SESSION = 100;

/**
 * At most `limit` of the user's messages in `projectId` on `server`, newest first.
 *
 * @example
 * ```ts
 * const prompts = await remotePrompts(server, project.id, 100); // ["Fix the test", …]
 * ```
 */
export async function remotePrompts(
  server: RemoteServer,
  projectId: string,
  limit: number,
): Promise<string[]> {
  const signal = AbortSignal.timeout(DEADLINE_MS);
  const sessions = server.catalog.listSessions(projectId).slice(0, PROMPT_SESSIONS);
  const read = await Promise.all(sessions.map(async (session) => {
    const query = new URLSearchParams({
      directory: session.directory,
      limit: String(MESSAGES_PER_SESSION),
    });
    try {
      return (await server.api<MessageWithParts[]>(
        `/session/${encodeURIComponent(session.id)}/message?${query}`,
        { signal },
      )).body;
    } catch {
      return [];
    }
  }));
  const sent = read.flat().flatMap(({ info, parts }) => {
    if (info.role !== "user") return [];
    const text = parts.flatMap((part) => part.type === "text" && !part.synthetic ? [part.text] : [])
      .join("\n");
    return [{ text, time: info.time.created }];
  });
  return promptList(sent.sort((a, b) => b.time - a.time).map((prompt) => prompt.text), limit);
}
