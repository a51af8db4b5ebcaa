/** Small formatting helpers shared by pages and islands: times, paths, money, counts. */

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ["year", 365 * 24 * 3600_000],
  ["month", 30 * 24 * 3600_000],
  ["week", 7 * 24 * 3600_000],
  ["day", 24 * 3600_000],
  ["hour", 3600_000],
  ["minute", 60_000],
];

const relative = new Intl.RelativeTimeFormat("en", { numeric: "auto" });

/**
 * "3 minutes ago", "yesterday", "just now".
 *
 * @example
 * ```ts
 * relativeTime(Date.now() - 120_000); // "2 minutes ago"
 * ```
 */
export function relativeTime(epochMs: number, now = Date.now()): string {
  const elapsed = epochMs - now;
  for (const [unit, size] of UNITS) {
    if (Math.abs(elapsed) >= size) return relative.format(Math.round(elapsed / size), unit);
  }
  return "just now";
}

/** The ISO form for `<time datetime>`, or an empty string for a missing time. */
export function isoTime(epochMs: number): string {
  return Number.isFinite(epochMs) && epochMs > 0 ? new Date(epochMs).toISOString() : "";
}

/** "1 session", "3 sessions". */
export function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? "" : "s"}`;
}

/** Cost in dollars, or an empty string when nothing was spent. */
export function formatCost(cost: number): string {
  return cost > 0 ? `$${cost.toFixed(cost < 0.01 ? 4 : 2)}` : "";
}

/** "512 B", "3.4 KB", "12.0 MB" (1 KB = 1024 bytes). */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/**
 * A short duration: "0.4 s", "12 s", "3 min 5 s", "1 h 2 min".
 *
 * @example
 * ```ts
 * formatDuration(1_250); // "1.3 s"
 * ```
 */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return "";
  if (ms < 10_000) return `${(ms / 1000).toFixed(1)} s`;
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${seconds % 60} s`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}
