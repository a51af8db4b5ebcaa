/**
 * A machine's connection status ({@linkcode MachineState}) and how it reads, the same on the
 * server's pages and in the browser's live update: `Online`, `Connecting…`, or
 * `Offline: <reason> (last seen <time>)`.
 */

export interface MachineState {
  state: "connecting" | "online" | "offline";
  reason?: string;
  lastSeen?: number;
  version?: string;
}

/**
 * The status in words.
 *
 * @example
 * ```ts
 * statusWords({ state: "offline", reason: "Connection refused" }); // "Offline: Connection refused (never seen)"
 * ```
 */
export function statusWords(status: MachineState): string {
  if (status.state === "online") return "Online";
  if (status.state === "connecting") return "Connecting…";
  const seen = status.lastSeen
    ? `last seen ${new Date(status.lastSeen).toISOString().slice(0, 19).replace("T", " ")} UTC`
    : "never seen";
  return `Offline: ${status.reason ?? "unreachable"} (${seen})`;
}
