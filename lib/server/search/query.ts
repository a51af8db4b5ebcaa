/**
 * What a user types into `Search`, made safe for SQLite FTS5: every word becomes a quoted phrase
 * (so `"`, `*`, `NEAR`, `OR`, `-` and parentheses are text, never syntax), the last word matches
 * as a prefix, and a snippet marked by the index is split into plain and highlighted pieces that
 * a page renders escaped.
 */

/** Marks the start of a match inside a snippet (a control character no text contains). */
export const MATCH_START = "\u0002";
/** Marks the end of a match inside a snippet. */
export const MATCH_END = "\u0003";

/** Splits a snippet at its markers, keeping them. */
// deno-lint-ignore no-control-regex -- the markers are control characters on purpose.
const MARKERS = /([\u0002\u0003])/;

/** At most this many words of a query are searched for. */
const MAX_TERMS = 12;

/**
 * The FTS5 query for `text`, or `undefined` when it holds no word to search for; with
 * `prefix: false` the last word is matched whole too.
 *
 * @example
 * ```ts
 * toFtsQuery('fix "login OR'); // '"fix" "login" "or"*'
 * ```
 */
export function toFtsQuery(
  text: string,
  { prefix = true }: { prefix?: boolean } = {},
): string | undefined {
  const terms = text.normalize("NFKC").toLowerCase().match(/[\p{L}\p{N}_]+/gu);
  if (!terms) return undefined;
  const quoted = terms.slice(0, MAX_TERMS).map((term) => `"${term}"`);
  if (prefix) quoted[quoted.length - 1] += "*";
  return quoted.join(" ");
}

/** At most this many whole words stand for a typed prefix (see {@linkcode completedFtsQuery}). */
export const MAX_COMPLETIONS = 50;

/**
 * The last word of `text` as the index stores words (lower case, no diacritics), for looking up
 * its completions; `undefined` when `text` has no word.
 */
export function lastWord(text: string): string | undefined {
  const terms = text.normalize("NFKC").toLowerCase().match(/[\p{L}\p{N}_]+/gu);
  return terms?.slice(0, MAX_TERMS).at(-1)?.normalize("NFD").replace(/\p{M}/gu, "");
}

/**
 * The FTS5 query for `text` with its last word standing for any of `completions` (whole words
 * of the index that start with it): FTS5 walks such an OR lazily, newest first, where a prefix
 * query makes it read the whole match list first. `undefined` when there is nothing to match.
 *
 * @example
 * ```ts
 * completedFtsQuery("copy 7", ["7", "70"]); // '"copy" AND ("7" OR "70")'
 * ```
 */
export function completedFtsQuery(text: string, completions: string[]): string | undefined {
  const terms = text.normalize("NFKC").toLowerCase().match(/[\p{L}\p{N}_]+/gu);
  if (!terms || completions.length === 0) return undefined;
  const quote = (term: string) => `"${term.replaceAll('"', '""')}"`;
  return [
    ...terms.slice(0, MAX_TERMS).slice(0, -1).map(quote),
    `(${completions.map(quote).join(" OR ")})`,
  ].join(" AND ");
}

/** A piece of a snippet: plain text, or text that matched the query. */
export interface SnippetPiece {
  text: string;
  match: boolean;
}

/**
 * Splits a snippet marked with {@linkcode MATCH_START} and {@linkcode MATCH_END} into pieces.
 *
 * @example
 * ```ts
 * splitSnippet("a \u0002b\u0003 c"); // [{text: "a ", match: false}, {text: "b", match: true}, {text: " c", match: false}]
 * ```
 */
export function splitSnippet(snippet: string): SnippetPiece[] {
  const pieces: SnippetPiece[] = [];
  let match = false;
  for (const text of snippet.split(MARKERS)) {
    if (text === MATCH_START) match = true;
    else if (text === MATCH_END) match = false;
    else if (text) pieces.push({ text, match });
  }
  return pieces;
}
