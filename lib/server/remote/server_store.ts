/**
 * The remote servers the user added, kept in Palot's state folder (`servers.json`, mode 0600, in a
 * folder of mode 0700): address, name and password (or the SSH host), never sent to a browser.
 * Written to a temporary file and renamed, so a crash never leaves half a list.
 */

import { join } from "node:path";

/** How Palot reaches a remote server. */
export type ServerAccess =
  | { kind: "http"; address: string; password: string }
  | {
    kind: "ssh";
    target: string;
    port?: number;
    identity?: string;
    command?: string;
    /** The user's own `opencode serve` there (its port and password), when Palot starts none. */
    serve?: { port: number; password: string };
  };

/** One remote server as saved. */
export interface SavedServer {
  /** Palot's id for it, in its addresses (`/s/<id>/...`): a short lower-case word. */
  id: string;
  name: string;
  access: ServerAccess;
}

const FILE = "servers.json";

export class ServerStore {
  #file: string;
  #dir: string;

  constructor(stateDir: string) {
    this.#dir = stateDir;
    this.#file = join(stateDir, FILE);
  }

  /** The saved servers, in the order they were added; none when the file is missing or broken. */
  list(): SavedServer[] {
    try {
      const value = JSON.parse(Deno.readTextFileSync(this.#file));
      return Array.isArray(value) ? value.filter(isSavedServer) : [];
    } catch {
      return [];
    }
  }

  /**
   * Replaces the list.
   *
   * @example
   * ```ts
   * await store.save([...store.list(), server]);
   * ```
   */
  async save(servers: SavedServer[]): Promise<void> {
    await Deno.mkdir(this.#dir, { recursive: true, mode: 0o700 });
    const temporary = `${this.#file}.${crypto.randomUUID()}.tmp`;
    await Deno.writeTextFile(temporary, JSON.stringify(servers, null, 2), { mode: 0o600 });
    await Deno.chmod(temporary, 0o600).catch(() => {});
    await Deno.rename(temporary, this.#file);
  }
}

function isSavedServer(value: unknown): value is SavedServer {
  const server = value as SavedServer | undefined;
  return typeof server?.id === "string" && typeof server.name === "string" &&
    (server.access?.kind === "http" || server.access?.kind === "ssh");
}
