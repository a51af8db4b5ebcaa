/**
 * One terminal of a project, reached through Palot: its WebSocket (`/api/opencode/pty/{id}/connect`,
 * where the edge checks Host, token and Origin like every request), and the calls that list,
 * start, resize and end terminals (OpenCode's `pty` API through the same proxy). A closed socket
 * is not reconnected: the tab says the terminal exited (the shell ended: OpenCode closes normally)
 * or ended (OpenCode went away, or Palot's token changed), and offers `New terminal`.
 */

import type { Pty } from "@opencode-ai/sdk/v2/client";
import { getProjectClient } from "../live/clients.ts";
import { ptyOutput } from "./pty_output.ts";
import { opencodeBase } from "../live/page_server.ts";

/** A terminal's state, as its tab shows it. */
export type PtyState = "connecting" | "running" | "exited" | "ended";

export interface PtyHandlers {
  onOutput(data: string | Uint8Array): void;
  onState(state: PtyState): void;
}

/** An open connection to one terminal. */
export interface PtyConnection {
  /** Sends what the user typed. */
  send(data: string): void;
  /** Closes the connection (the shell goes on). */
  close(): void;
}

/**
 * Connects to terminal `id` of `directory`; the recent output comes first (a reload shows what was
 * there), OpenCode's control frames are dropped.
 *
 * @example
 * ```ts
 * const connection = connectPty(directory, pty.id, { onOutput: view.write, onState: setState });
 * ```
 */
export function connectPty(directory: string, id: string, handlers: PtyHandlers): PtyConnection {
  const scheme = location.protocol === "https:" ? "wss:" : "ws:";
  const url = `${scheme}//${location.host}${opencodeBase()}/pty/${encodeURIComponent(id)}/connect` +
    `?directory=${encodeURIComponent(directory)}`;
  const socket = new WebSocket(url);
  socket.binaryType = "arraybuffer";
  let closedHere = false;
  handlers.onState("connecting");
  socket.onopen = () => handlers.onState("running");
  socket.onmessage = (event) => {
    const output = ptyOutput(event.data);
    if (output !== undefined) handlers.onOutput(output);
  };
  socket.onclose = (event) => {
    if (!closedHere) handlers.onState(event.code === 1000 ? "exited" : "ended");
  };
  return {
    send(data) {
      if (socket.readyState === WebSocket.OPEN) socket.send(data);
    },
    close() {
      closedHere = true;
      socket.close();
    },
  };
}

/** The project's terminals, oldest first. */
export async function listTerminals(directory: string): Promise<Pty[]> {
  const { data, error } = await getProjectClient(directory).pty.list();
  if (error || !data) throw new Error(`Could not list the terminals: ${describe(error)}`);
  return data;
}

/** Starts a login shell in `directory`. */
export async function startTerminal(directory: string): Promise<Pty> {
  const { data, error } = await getProjectClient(directory).pty.create({ cwd: directory });
  if (error || !data) throw new Error(`Could not start a terminal: ${describe(error)}`);
  return data;
}

/** Tells the shell its new size. */
export async function resizeTerminal(
  directory: string,
  id: string,
  size: { rows: number; cols: number },
): Promise<void> {
  await getProjectClient(directory).pty.update({ ptyID: id, size });
}

/** Ends the shell (a terminal already gone is fine). */
export async function endTerminal(directory: string, id: string): Promise<void> {
  await getProjectClient(directory).pty.remove({ ptyID: id });
}

/** The error in words (OpenCode's `message` or `data.message`, Palot's `error`), or the answer. */
function describe(error: unknown): string {
  const { message, data, error: palot } = (error ?? {}) as {
    message?: unknown;
    data?: { message?: unknown };
    error?: unknown;
  };
  if (typeof message === "string") return message;
  if (typeof palot === "string") return palot;
  if (typeof data?.message === "string") return data.message;
  if (typeof error === "string" && error) return error;
  return error ? JSON.stringify(error).slice(0, 200) : "OpenCode did not answer";
}
