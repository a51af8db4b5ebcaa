/**
 * The changed files and lines of another machine's sessions, counted as this machine's are
 * (`lib/server/opencode_db/discovery_queries.ts` `changeTotals`): OpenCode's session figures stay
 * zero after a turn and, after an Undo, count what was undone, so a session without figures or
 * with an Undo has them counted from its user messages' `summary.diffs` (read through the API),
 * leaving out the messages an Undo hides. Counted when a page asks (a listed session's turn ended,
 * or it was first listed) and kept in the server's catalog, which pages render.
 *
 * @example
 * ```ts
 * const figures = await readRemoteFigures(server, ["ses_1", "ses_2"]);
 * figures.ses_1; // {files: 2, additions: 10, deletions: 1}
 * ```
 */

import type { RemoteServer } from "./remote_server.ts";
import type { ChangeFigures } from "../../common/discovery_types.ts";

/** A message as the API answers it (the part read). */
interface ApiMessage {
  info: {
    id: string;
    role: string;
    summary?: { diffs?: { file?: string; additions?: number; deletions?: number }[] };
  };
}

/** Sessions counted at once (each is one read of its messages). */
const AT_ONCE = 4;
/** Longest wait for one session's messages. */
const READ_TIMEOUT_MS = 5_000;

/**
 * The figures of the user messages in `messages` before `revertMessageID` (all of them without
 * one): files counted once however many messages changed them.
 */
export function changeFigures(messages: ApiMessage[], revertMessageID?: string): ChangeFigures {
  const files = new Set<string>();
  let additions = 0, deletions = 0;
  for (const { info } of messages) {
    if (info.role !== "user") continue;
    if (revertMessageID && info.id >= revertMessageID) continue;
    for (const diff of info.summary?.diffs ?? []) {
      if (diff.file) files.add(diff.file);
      additions += diff.additions ?? 0;
      deletions += diff.deletions ?? 0;
    }
  }
  return { files: files.size, additions, deletions };
}

/**
 * The figures of the sessions `ids` on `server` (those it knows; one that cannot be read keeps
 * what was known), counting those that need it, a few at a time.
 */
export async function readRemoteFigures(
  server: RemoteServer,
  ids: string[],
): Promise<Record<string, ChangeFigures>> {
  const queue = ids.filter((id) => server.catalog.needsFigures(id));
  const count = async () => {
    for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
      const session = server.catalog.getSession(id);
      if (!session) continue;
      const query = new URLSearchParams({ directory: session.directory });
      try {
        const { body } = await server.api<ApiMessage[]>(
          `/session/${encodeURIComponent(id)}/message?${query}`,
          { timeoutMs: READ_TIMEOUT_MS },
        );
        server.catalog.setFigures(id, changeFigures(body, session.revertMessageID));
      } catch { /* not answering: what was known stands */ }
    }
  };
  await Promise.all(Array.from({ length: AT_ONCE }, count));
  const figures: Record<string, ChangeFigures> = {};
  for (const id of ids) {
    const session = server.catalog.getSession(id);
    if (session) {
      figures[id] = {
        files: session.files,
        additions: session.additions,
        deletions: session.deletions,
      };
    }
  }
  return figures;
}
