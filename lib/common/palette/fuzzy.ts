/**
 * Fuzzy matching for the command palette: a query matches a name when its characters appear in
 * the name in order (case and accents ignored), and the score favours matches at word starts and
 * in runs, and shorter names, so "fxlgn" finds "Fix login" and "log" ranks "login" above
 * "catalogue".
 */

const fold = (text: string) => text.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase();

/**
 * The score of `query` against `name` (higher is better), or `-Infinity` when the characters of
 * `query` do not all appear in `name`, in order.
 *
 * @example
 * ```ts
 * fuzzyScore("fxlgn", "Fix login") > fuzzyScore("fxlgn", "A fix for logging in"); // true
 * fuzzyScore("zz", "Fix login"); // -Infinity
 * ```
 */
export function fuzzyScore(query: string, name: string): number {
  const needle = fold(query).replace(/\s+/g, "");
  const haystack = fold(name);
  if (!needle) return 0;
  let score = 0;
  let from = 0;
  let previous = -2;
  for (const char of needle) {
    const at = haystack.indexOf(char, from);
    if (at < 0) return -Infinity;
    const wordStart = at === 0 || /[^\p{L}\p{N}]/u.test(haystack[at - 1]);
    score += 1 + (wordStart ? 3 : 0) + (at === previous + 1 ? 2 : 0);
    previous = at;
    from = at + 1;
  }
  return score - haystack.length / 100;
}

/**
 * The `limit` best of `items` for `query`, by {@linkcode fuzzyScore} of `nameOf(item)`; ties keep
 * the items' order.
 *
 * @example
 * ```ts
 * fuzzyFilter("log", projects, (project) => project.name, 5);
 * ```
 */
export function fuzzyFilter<T>(
  query: string,
  items: T[],
  nameOf: (item: T) => string,
  limit: number,
): T[] {
  return items
    .map((item, order) => ({ item, order, score: fuzzyScore(query, nameOf(item)) }))
    .filter((entry) => entry.score > -Infinity)
    .sort((a, b) => b.score - a.score || a.order - b.order)
    .slice(0, limit)
    .map((entry) => entry.item);
}
