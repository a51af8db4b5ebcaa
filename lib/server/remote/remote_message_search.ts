/**
 * Other machines' messages, searched through their OpenCode API (Palot's index holds this
 * machine's history only): the latest {@linkcode SESSIONS_SEARCHED} sessions of each online server
 * are read (`GET /session/:id/message`, a few at a time, within one deadline for the whole search)
 * and every part's text and tool output is matched against the query's words. A bounded answer:
 * older sessions of other machines are found by title only, and the page says so. Each session's
 * messages are kept in memory while it has not changed (its `updated` time), so searching again is
 * cheap and a server is asked only for what changed.
 */

import type { Part } from "@opencode-ai/sdk/v2/client";
import type { MessageWithParts } from "../../common/message.ts";
import type { SessionSummary } from "../../common/discovery_types.ts";
import { MATCH_END, MATCH_START } from "../search/query.ts";
import type { RemoteServer } from "./remote_server.ts";

/** How many of each server's latest sessions have their messages searched. */
export const SESSIONS_SEARCHED = 50;
/** Longest a search waits for other machines, all of them together. */
const DEADLINE_MS = 3_000;
/** Sessions read at once from one server. */
const CONCURRENCY = 4;
/** Messages read per session (its latest). */
const MESSAGES_PER_SESSION = 200;
/** Sessions whose messages are kept per server. */
const CACHE_SESSIONS = 200;
/** Characters of context either side of the first match. */
const CONTEXT = 60;

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
  /** Servers that did not answer in time or failed, by name, with why. */
  unanswered: string[];
}

const caches = new WeakMap<RemoteServer, Map<string, { updated: number; texts: PartText[] }>>();

interface PartText {
  messageID: string;
  kind: "text" | "tool";
  text: string;
}

/**
 * Up to `limit` matching messages (one per session, newest sessions first) of `servers`.
 *
 * @example
 * ```ts
 * const { hits } = await searchRemoteMessages(remotes.list(), "flaky test", 20);
 * ```
 */
export async function searchRemoteMessages(
  servers: RemoteServer[],
  query: string,
  limit: number,
): Promise<RemoteMessageSearch> {
  const words = wordsOf(query);
  if (words.length === 0) return { hits: [], unanswered: [] };
  const deadline = AbortSignal.timeout(DEADLINE_MS);
  const unanswered: string[] = [];
  const perServer = await Promise.all(servers.map(async (server) => {
    if (server.status.state !== "online") return [];
    const sessions = latestSessions(server);
    const hits: RemoteMessageHit[] = [];
    let failure: string | undefined;
    let next = 0;
    const worker = async () => {
      while (next < sessions.length && !deadline.aborted) {
        const session = sessions[next++];
        try {
          const texts = await partTexts(server, session, deadline);
          const hit = firstMatch(texts, words);
          if (hit) hits.push({ server, session, ...hit });
        } catch (error) {
          failure ??= deadline.aborted ? "no answer in time" : (error as Error).message;
        }
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    if (failure || next < sessions.length) {
      unanswered.push(`${server.name} (${failure ?? "no answer in time"})`);
    }
    return hits;
  }));
  const hits = perServer.flat().sort((a, b) => b.session.updated - a.session.updated);
  return { hits: hits.slice(0, limit), unanswered };
}

/** The query's words, lower-case (any text is words, never syntax). */
function wordsOf(query: string): string[] {
  return query.normalize("NFKC").toLowerCase().match(/[\p{L}\p{N}_]+/gu)?.slice(0, 12) ?? [];
}

/** The server's {@linkcode SESSIONS_SEARCHED} most recently updated sessions, sub-agents too. */
function latestSessions(server: RemoteServer): SessionSummary[] {
  const all: SessionSummary[] = [];
  for (const project of server.catalog.listProjects()) {
    for (const session of server.catalog.listSessions(project.id)) {
      all.push(session, ...server.catalog.listChildren(session.id));
    }
  }
  return all.sort((a, b) => b.updated - a.updated).slice(0, SESSIONS_SEARCHED);
}

/** A session's searchable texts, from the cache while the session has not changed. */
async function partTexts(
  server: RemoteServer,
  session: SessionSummary,
  signal: AbortSignal,
): Promise<PartText[]> {
  let cache = caches.get(server);
  if (!cache) caches.set(server, cache = new Map());
  const cached = cache.get(session.id);
  if (cached && cached.updated === session.updated) return cached.texts;
  const query = new URLSearchParams({
    directory: session.directory,
    limit: String(MESSAGES_PER_SESSION),
  });
  const messages = (await server.api<MessageWithParts[]>(
    `/session/${encodeURIComponent(session.id)}/message?${query}`,
    { signal },
  )).body;
  const texts = messages.flatMap(({ info, parts }) =>
    parts.flatMap((part) => textOf(part)).map((each) => ({ messageID: info.id, ...each }))
  );
  cache.delete(session.id);
  cache.set(session.id, { updated: session.updated, texts });
  // The oldest entry goes first (a Map keeps insertion order).
  if (cache.size > CACHE_SESSIONS) cache.delete(cache.keys().next().value!);
  return texts;
}

/** What of a part is searched: text (not synthetic), and a tool's input and output. */
function textOf(part: Part): { kind: "text" | "tool"; text: string }[] {
  if (part.type === "text" && !part.synthetic) return [{ kind: "text", text: part.text }];
  if (part.type === "tool") {
    const state = part.state as { input?: unknown; output?: unknown; error?: unknown };
    const pieces = [
      JSON.stringify(state.input ?? ""),
      typeof state.output === "string" ? state.output : "",
      typeof state.error === "string" ? state.error : "",
    ];
    return [{ kind: "tool", text: pieces.join("\n") }];
  }
  return [];
}

/** The latest part holding every word, with a snippet around its first word, marked. */
function firstMatch(
  texts: PartText[],
  words: string[],
): Omit<RemoteMessageHit, "server" | "session"> | undefined {
  for (let i = texts.length - 1; i >= 0; i--) {
    const { messageID, kind, text } = texts[i];
    const lower = text.normalize("NFKC").toLowerCase();
    if (!words.every((word) => lower.includes(word))) continue;
    // The snippet keeps the text's case unless normalizing changed its length.
    const source = lower.length === text.length ? text : lower;
    const at = lower.indexOf(words[0]);
    const start = Math.max(0, at - CONTEXT);
    const end = Math.min(source.length, at + words[0].length + CONTEXT);
    const snippet = (start > 0 ? "…" : "") + source.slice(start, at) + MATCH_START +
      source.slice(at, at + words[0].length) + MATCH_END +
      source.slice(at + words[0].length, end) + (end < source.length ? "…" : "");
    return { messageID, kind, snippet: snippet.replace(/\s+/g, " ") };
  }
  return undefined;
}
