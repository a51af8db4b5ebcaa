/**
 * The body of `/search`: the prompt for an empty query, the index's progress while it is being
 * built, and each matching session with its project, date, marks (archived, sub-agent) and the
 * matching text highlighted. Snippets are rendered as text pieces, so nothing in them is markup.
 */

import {
  RESULTS_PER_PAGE,
  type SearchPage,
  type SearchResult,
} from "../../lib/server/search/results.ts";
import { splitSnippet } from "../../lib/server/search/query.ts";
import { Time } from "../../lib/client/ui/time.tsx";
import type { PaletteItem } from "../../lib/common/palette/items.ts";
import type { RemoteMessageSearch } from "../../lib/server/remote/remote_message_search.ts";
import { remoteSessionHref } from "../../lib/common/remote_paths.ts";

function progressNote({ progress }: SearchPage): string {
  if (progress.state === "unavailable") {
    return `Search is unavailable: ${progress.reason ?? "the index cannot be built"}.`;
  }
  if (progress.state === "waiting") return "The search index is being prepared; try again soon.";
  if (progress.state === "building") {
    const percent = progress.total ? Math.floor((progress.done / progress.total) * 100) : 0;
    return `Still indexing: ${percent}% of the history is searchable so far.`;
  }
  return "";
}

/** Where a result leads: the session, opened at the matching message. */
export function resultHref({ session, hit }: SearchResult): string {
  const base = `/session/${encodeURIComponent(session.id)}`;
  if (!hit.messageID) return base;
  const message = encodeURIComponent(hit.messageID);
  return `${base}?at=${message}#message-${message}`;
}

function pageHref(query: string, page: number): string {
  return `/search?q=${encodeURIComponent(query)}${page > 1 ? `&page=${page}` : ""}`;
}

const KIND_LABEL = { title: "title", text: "message", tool: "tool output" };

export function SearchResults({ view }: { view: SearchPage }) {
  const note = progressNote(view);
  if (!view.query.trim()) {
    return (
      <p class="empty">
        Type words to search the titles and messages of every session of every project.
      </p>
    );
  }
  return (
    <>
      {note && <p class="search-progress" role="status">{note}</p>}
      {view.total > 0 && (
        <p class="search-count muted">
          {view.capped ? "More than " : ""}
          {view.total.toLocaleString("en")}{" "}
          {view.total === 1 && !view.capped ? "session" : "sessions"}{" "}
          match{view.total === 1 && !view.capped ? "es" : ""}
          {(view.page > 1 || view.hasMore) && ` · page ${view.page}`}
        </p>
      )}
      {view.results.length === 0
        ? <p class="empty">No session matches “{view.query}”.</p>
        : (
          <ol class="search-results" start={(view.page - 1) * RESULTS_PER_PAGE + 1}>
            {view.results.map((result) => (
              <li key={result.session.id} class="search-result">
                <a class="search-result-title" href={resultHref(result)}>
                  {result.session.title || "Untitled session"}
                </a>
                <span class="search-result-meta">
                  {result.project?.name ?? result.session.directory} ·{" "}
                  <Time at={result.session.updated} />
                  {result.session.parentID && <span class="tag">sub-agent</span>}
                  {result.session.archived && <span class="tag">archived</span>}
                  <span class="muted">in {KIND_LABEL[result.hit.kind]}</span>
                </span>
                <p class="search-snippet">
                  {splitSnippet(result.hit.snippet).map((piece, i) =>
                    piece.match ? <mark key={i}>{piece.text}</mark> : piece.text
                  )}
                </p>
              </li>
            ))}
          </ol>
        )}
      {(view.page > 1 || view.hasMore) && (
        <nav class="pager" aria-label="Result pages">
          {view.page > 1 && <a href={pageHref(view.query, view.page - 1)}>Previous page</a>}
          {view.hasMore && <a href={pageHref(view.query, view.page + 1)}>Next page</a>}
        </nav>
      )}
    </>
  );
}

/**
 * Other machines' sessions that match: by title (every session Palot knows of them) and by
 * message (Palot's index of their messages, read through their API), each opening on its
 * machine's page.
 */
export function RemoteResults(
  { titles, messages }: { titles: PaletteItem[]; messages: RemoteMessageSearch },
) {
  if (titles.length === 0 && messages.hits.length === 0 && messages.incomplete.length === 0) {
    return null;
  }
  return (
    <section aria-labelledby="elsewhere">
      <h2 id="elsewhere">On other machines</h2>
      <p class="muted">
        Titles and messages of all their sessions (their messages as Palot last read them).
        {messages.incomplete.length > 0 &&
          ` Still reading: ${messages.incomplete.join(", ")}.`}
      </p>
      {titles.length > 0 && (
        <ul class="session-list" aria-label="Titles on other machines">
          {titles.map((item) => (
            <li key={item.id} class="session-row">
              <a class="session-title" href={item.href}>{item.label}</a>{" "}
              <span class="muted">{item.detail}</span>
            </li>
          ))}
        </ul>
      )}
      {messages.hits.length > 0 && (
        <ol class="search-results" aria-label="Messages on other machines">
          {messages.hits.map(({ server, session, messageID, kind, snippet }) => {
            const message = encodeURIComponent(messageID);
            return (
              <li key={`${server.id}:${session.id}`} class="search-result">
                <a
                  class="search-result-title"
                  href={`${
                    remoteSessionHref(server.id, session.id)
                  }?at=${message}#message-${message}`}
                >
                  {session.title || "Untitled session"}
                </a>
                <span class="search-result-meta">
                  {server.name} · {session.directory} · <Time at={session.updated} />
                  {session.parentID && <span class="tag">sub-agent</span>}
                  <span class="muted">in {KIND_LABEL[kind]}</span>
                </span>
                <p class="search-snippet">
                  {splitSnippet(snippet).map((piece, i) =>
                    piece.match ? <mark key={i}>{piece.text}</mark> : piece.text
                  )}
                </p>
              </li>
            );
          })}
        </ol>
      )}
    </section>
  );
}
