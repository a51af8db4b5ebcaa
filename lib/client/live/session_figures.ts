/**
 * Sessions' changed files and lines, kept current in lists without a reload: when a listed
 * session's turn ends, or an Undo or Redo changes what is in effect, its figures are read again
 * from Palot (`/api/session-figures`, which counts what OpenCode's storage holds, Undo included;
 * on another machine's pages its `/api/servers/<server>/session-figures`, read also when a row is
 * first listed).
 * OpenCode's own session figures cannot be used: they stay zero after a turn and count what was
 * undone during an Undo.
 *
 * @example
 * ```ts
 * effect(() => followFigures(rows.map((row) => ({ id: row.id, key: `${row.status}` }))));
 * const figures = sessionFigures.value[id];
 * ```
 */

import { type Signal, signal } from "@preact/signals";
import { pageServer, palotApi } from "./page_server.ts";
import type { ChangeFigures } from "../../common/discovery_types.ts";

/** Figures read since the page loaded, by session id (the page's own figures stand otherwise). */
export const sessionFigures: Signal<Record<string, ChangeFigures>> = signal({});

/** When to read again after a change: OpenCode writes a turn's figures shortly after it ends. */
const READ_AFTER_MS = [500, 3_000];

const lastKeys = new Map<string, string>();

/**
 * Notes each session's state (`key`: its status and Undo, say); a session whose key changed since
 * the last call has its figures read again.
 */
export function followFigures(rows: { id: string; key: string }[]): void {
  const changed: string[] = [];
  for (const { id, key } of rows) {
    const last = lastKeys.get(id);
    lastKeys.set(id, key);
    // Another machine's figures are counted by Palot from its API: read once a row is listed.
    if (last === undefined ? pageServer() !== undefined : last !== key) changed.push(id);
  }
  if (changed.length === 0) return;
  for (const delay of READ_AFTER_MS) setTimeout(() => readFigures(changed), delay);
}

async function readFigures(ids: string[]): Promise<void> {
  const query = new URLSearchParams(ids.map((id) => ["id", id]));
  try {
    const response = await fetch(`${palotApi("/api/session-figures")}?${query}`);
    if (!response.ok) return;
    const read = await response.json() as Record<string, ChangeFigures>;
    sessionFigures.value = { ...sessionFigures.peek(), ...read };
  } catch {
    // Offline for a moment: the figures shown stay until the next change.
  }
}
