/**
 * Pages of a long list (the home page's projects): which slice page `n` holds, whether more
 * follow, and reading a page number from a query string. One rule for every paged list, so a
 * page link never points past the end and a bad `?page=` never fails.
 */

/** One page of a list. */
export interface Page<T> {
  items: T[];
  /** From 1. */
  page: number;
  /** Pages in all (at least 1, also for an empty list). */
  pages: number;
  total: number;
  hasMore: boolean;
}

/**
 * Page `page` (from 1, clamped to the last) of `items`, `size` a page.
 *
 * @example
 * ```ts
 * pageOf([1, 2, 3, 4, 5], 2, 2); // {items: [3, 4], page: 2, pages: 3, total: 5, hasMore: true}
 * ```
 */
export function pageOf<T>(items: readonly T[], page: number, size: number): Page<T> {
  const pages = Math.max(1, Math.ceil(items.length / size));
  const current = Math.min(Math.max(1, Math.trunc(page) || 1), pages);
  const start = (current - 1) * size;
  return {
    items: items.slice(start, start + size),
    page: current,
    pages,
    total: items.length,
    hasMore: current < pages,
  };
}

/**
 * A page number from `?page=`: a positive integer, else 1.
 *
 * @example
 * ```ts
 * pageParam("3"); // 3
 * pageParam("-1"); // 1
 * ```
 */
export function pageParam(value: string | undefined): number {
  const page = Number(value);
  return Number.isInteger(page) && page > 0 && page < 1_000_000 ? page : 1;
}
