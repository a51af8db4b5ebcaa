/**
 * Palot's app in this process, over an OpenCode data folder, without starting opencode: for page
 * tests and benchmarks that call the app directly (or serve it themselves) rather than run
 * `main.ts`. The supervisor is a stand-in that reports `status` and, when given, `endpoint`.
 *
 * @example
 * ```ts
 * using palot = appOver("/path/to/opencode");
 * const response = await palot.fetch("/");
 * ```
 */

import { join } from "node:path";
import { createApp } from "../app.ts";
import type { Config } from "../lib/server/config.ts";
import { openDiscovery } from "../lib/server/discovery/mod.ts";
import type { OpencodeEndpoint } from "../lib/server/opencode/endpoint.ts";
import type { OpencodeSnapshot } from "../lib/server/opencode/supervisor/supervisor.ts";
import type { AppServices } from "../lib/server/services.ts";

/** OpenCode's legacy JSON storage with a few projects and sessions (`discovery/testdata/`). */
export const LEGACY_DATA_DIR = join(
  import.meta.dirname!,
  "..",
  "lib",
  "server",
  "discovery",
  "testdata",
  "legacy",
);

export interface AppOverOptions {
  /** What the stand-in supervisor reports (default `ready`). */
  status?: OpencodeSnapshot["status"];
  /** The OpenCode the stand-in supervisor points at (default none). */
  endpoint?: OpencodeEndpoint;
  /** The port the app believes it listens on, for its Host check (default 3100). */
  port?: number;
  live?: AppServices["live"];
  search?: AppServices["search"];
  instances?: AppServices["instances"];
  toolbars?: AppServices["toolbars"];
  remotes?: AppServices["remotes"];
}

export function appOver(dataDir: string, options: AppOverOptions = {}) {
  const config: Config = {
    hostname: "127.0.0.1",
    port: options.port ?? 3100,
    opencodePort: 4101,
    dataDir,
    stateDir: "/nonexistent",
    keepOpencode: false,
    instanceIdleMs: 600_000,
    maxInstances: 8,
    allowedHosts: [],
  };
  const snapshot: OpencodeSnapshot = {
    status: options.status ?? "ready",
    version: null,
    pid: null,
    port: null,
    restarts: 0,
    lastError: null,
    binarySource: null,
  };
  const discovery = openDiscovery(dataDir);
  const app = createApp({
    config,
    discovery,
    supervisor: { endpoint: () => options.endpoint, snapshot: () => snapshot },
    live: options.live,
    search: options.search,
    instances: options.instances,
    toolbars: options.toolbars,
    remotes: options.remotes,
  });
  const origin = `http://127.0.0.1:${config.port}`;
  return {
    app,
    config,
    discovery,
    /** Calls the app in process with `path`, as a browser on Palot's own address would. */
    fetch: (path: string) =>
      app.fetch(new Request(origin + path, { headers: { host: `127.0.0.1:${config.port}` } })),
    [Symbol.dispose]: () => discovery.close(),
  };
}
