/**
 * Which terminals (OpenCode's PTYs) run in which project directory, followed from OpenCode's
 * events (`pty.created`, `pty.updated`, `pty.exited`, `pty.deleted`). A running terminal pins its
 * directory's instance (disposing the instance would kill the shell), with or without a tab open,
 * and the project page lists it with a way to end it.
 */

import type { HubEvent } from "../../../common/hub_event.ts";
import { normalizeDirectory } from "./request_directory.ts";

/** A terminal running in a project directory. */
export interface RunningTerminal {
  id: string;
  title: string;
  directory: string;
}

/**
 * The terminals running now.
 *
 * @example
 * ```ts
 * const terminals = new RunningTerminals();
 * hub.subscribe(({ event }) => terminals.observe(event));
 * terminals.list("/home/me/app"); // [{id, title, directory}]
 * ```
 */
export class RunningTerminals {
  #running = new Map<string, RunningTerminal>();

  /** Follows one event from OpenCode. */
  observe(event: HubEvent): void {
    const { type, properties } = event.payload as {
      type: string;
      properties?: { id?: unknown; info?: { id?: unknown; title?: unknown; status?: unknown } };
    };
    if (type === "pty.created" || type === "pty.updated") {
      const info = properties?.info;
      const directory = normalizeDirectory(event.directory);
      if (typeof info?.id !== "string" || !directory) return;
      if (info.status === "exited") this.#running.delete(info.id);
      else {
        const title = typeof info.title === "string" ? info.title : "Terminal";
        this.#running.set(info.id, { id: info.id, title, directory });
      }
    } else if (type === "pty.exited" || type === "pty.deleted") {
      if (typeof properties?.id === "string") this.#running.delete(properties.id);
    }
  }

  /** The terminals running in `directory` (every one without it), oldest first. */
  list(directory?: string): RunningTerminal[] {
    const normalized = normalizeDirectory(directory);
    return [...this.#running.values()].filter((terminal) =>
      normalized === undefined || terminal.directory === normalized
    );
  }

  /** The directories with a running terminal. */
  directories(): Set<string> {
    return new Set([...this.#running.values()].map((terminal) => terminal.directory));
  }

  /** Forgets one terminal (ended from Palot: OpenCode's event may come later). */
  forgetTerminal(id: string): void {
    this.#running.delete(id);
  }

  /** Forgets `directory`'s terminals (its instance was disposed), or every one (a new server). */
  forget(directory?: string): void {
    for (const [id, terminal] of this.#running) {
      if (directory === undefined || terminal.directory === directory) this.#running.delete(id);
    }
  }
}
