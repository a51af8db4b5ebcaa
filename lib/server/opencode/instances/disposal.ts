/**
 * Which OpenCode instances may go: what pins a directory (a session working or waiting for an
 * answer, a request OpenCode has not answered yet, a tab showing it, a running terminal) and, of the unpinned ones,
 * which to dispose now (idle for `idleMs`, then the least recently used while more than
 * `maxInstances` are live, never one used within `graceMs`). Pure: the instance keeper holds the
 * state and asks OpenCode.
 */

import type { LiveSession } from "../../events/status_index.ts";
import { normalizeDirectory } from "./request_directory.ts";

/** What can pin a directory. */
export interface PinSources {
  /** The status index's live sessions. */
  sessions: Record<string, LiveSession>;
  /** Directories with a request OpenCode has not answered yet. */
  requests: Iterable<string>;
  /** Directories a tab shows. */
  tabs: Iterable<string>;
  /** Directories with a running terminal (its shell dies with the instance). */
  terminals?: Iterable<string>;
}

/**
 * Pinned directories and why: `session`, `request`, `tab`, `terminal`.
 *
 * @example
 * ```ts
 * instancePins({ sessions: {}, requests: ["/a"], tabs: ["/a"] }); // Map {"/a" => ["request", "tab"]}
 * ```
 */
export function instancePins(
  { sessions, requests, tabs, terminals = [] }: PinSources,
): Map<string, string[]> {
  const pins = new Map<string, string[]>();
  const pin = (directory: string | undefined, reason: string) => {
    if (!directory) return;
    const reasons = pins.get(directory) ?? [];
    if (!reasons.includes(reason)) pins.set(directory, [...reasons, reason]);
  };
  for (const session of Object.values(sessions)) {
    const working = session.status === "busy" || session.status === "retry";
    if (working || session.permissions.length > 0 || session.questions.length > 0) {
      pin(normalizeDirectory(session.directory), "session");
    }
  }
  for (const directory of requests) pin(directory, "request");
  for (const directory of tabs) pin(directory, "tab");
  for (const directory of terminals) pin(directory, "terminal");
  return pins;
}

/** When unpinned instances go (`0` turns a limit off). */
export interface DisposalLimits {
  idleMs: number;
  maxInstances: number;
  graceMs: number;
}

/**
 * The directories to dispose now, of `live` (last use by directory, least recently used first):
 * the idle ones, then the least recently used above the cap.
 *
 * @example
 * ```ts
 * chooseDisposals(live, instancePins(sources), { idleMs: 600_000, maxInstances: 8, graceMs: 5_000 });
 * ```
 */
export function chooseDisposals(
  live: ReadonlyMap<string, number>,
  pins: ReadonlyMap<string, string[]>,
  { idleMs, maxInstances, graceMs }: DisposalLimits,
  now = Date.now(),
): string[] {
  const unpinned = [...live].filter(([directory]) => !pins.has(directory));
  const chosen = new Set<string>();
  if (idleMs > 0) {
    for (const [directory, lastUsed] of unpinned) {
      if (now - lastUsed >= idleMs) chosen.add(directory);
    }
  }
  for (const [directory, lastUsed] of unpinned) {
    if (maxInstances <= 0 || live.size - chosen.size <= maxInstances) break;
    if (now - lastUsed >= graceMs) chosen.add(directory);
  }
  return [...chosen];
}
