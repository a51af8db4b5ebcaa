/**
 * Tells Palot which project directories this tab shows (`POST /api/presence`), so their OpenCode
 * instances are not disposed under it: at once, again every 30 s while the page is open, and an
 * empty list when the page goes away. Separate from the event stream on purpose: it keeps working
 * however tabs share that stream.
 */

/** How often the report is repeated; the server lets a report lapse after 90 s. */
const REPEAT_MS = 30_000;

// Not `crypto.randomUUID()`: that needs a secure context, and a remote Palot is plain HTTP.
const tab = Array.from(crypto.getRandomValues(new Uint8Array(16)), (byte) => byte.toString(16))
  .join("");
let shown: string[] = [];
let timer: ReturnType<typeof setInterval> | undefined;

function report(directories: string[], beacon = false): void {
  const body = JSON.stringify({ tab, directories });
  if (beacon && navigator.sendBeacon?.("/api/presence", body)) return;
  fetch("/api/presence", { method: "POST", body, keepalive: true }).catch(() => {
    // Palot unreachable: the next report (or the connection indicator) covers it.
  });
}

/**
 * Reports that this tab shows `directories` (replacing what it showed); returns the function
 * that withdraws them.
 *
 * @example
 * ```ts
 * useEffect(() => showDirectories([directory]), [directory]);
 * ```
 */
export function showDirectories(directories: string[]): () => void {
  shown = [...new Set([...shown, ...directories])];
  report(shown);
  if (!timer) {
    timer = setInterval(() => report(shown), REPEAT_MS);
    globalThis.addEventListener("pagehide", () => report([], true));
    globalThis.addEventListener("pageshow", (event) => event.persisted && report(shown));
  }
  return () => {
    shown = shown.filter((directory) => !directories.includes(directory));
    report(shown);
  };
}
