/**
 * Palot's state file, `$XDG_STATE_HOME/palot/opencode.json` (mode 0600): the pid, port and
 * password of the opencode server Palot started, with the pid's fingerprint, so that a restarted Palot can adopt it instead of
 * starting a second one. Only the supervisor reads or writes it.
 */

import { join } from "node:path";
import type { ProcessFingerprint } from "./process.ts";

export interface SupervisorState {
  pid: number;
  port: number;
  password: string;
  binary: string;
  startedAt: number;
  /** Who `pid` was when Palot started it; a pid whose fingerprint differs is not Palot's. */
  fingerprint?: ProcessFingerprint;
}

const FILE = "opencode.json";

/** Reads the state file; `undefined` when it is missing or not valid. */
export async function readState(stateDir: string): Promise<SupervisorState | undefined> {
  try {
    const state = JSON.parse(await Deno.readTextFile(join(stateDir, FILE)));
    if (
      typeof state?.pid === "number" && typeof state.port === "number" &&
      typeof state.password === "string"
    ) return state;
  } catch { /* missing or corrupt: nothing to adopt */ }
  return undefined;
}

/** Writes the state file with mode 0600 (written to a temporary file, then renamed). */
export async function writeState(stateDir: string, state: SupervisorState): Promise<void> {
  await Deno.mkdir(stateDir, { recursive: true, mode: 0o700 });
  const temporary = join(stateDir, `${FILE}.${crypto.randomUUID()}.tmp`);
  await Deno.writeTextFile(temporary, JSON.stringify(state), { mode: 0o600 });
  await Deno.chmod(temporary, 0o600).catch(() => {});
  await Deno.rename(temporary, join(stateDir, FILE));
}

export async function removeState(stateDir: string): Promise<void> {
  await Deno.remove(join(stateDir, FILE)).catch(() => {});
}
