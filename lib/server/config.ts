/**
 * Palot's configuration: command-line flags and environment variables turned into one typed
 * {@linkcode Config}, with defaults merged once. Bad values raise a {@linkcode ConfigError} whose
 * message is one line a user can act on; `main.ts` prints it and exits with code 2.
 */

import { parseArgs } from "node:util";
import { join } from "node:path";

export interface Config {
  /** Address Palot's HTTP server binds to. */
  hostname: string;
  port: number;
  /** Preferred port of the one `opencode serve`; another free port is taken if it is held. */
  opencodePort: number;
  /** Explicit opencode binary (`--opencode-bin`), if any. */
  opencodeBin?: string;
  /** OpenCode's data dir, where `opencode.db` (or legacy `storage/`) lives. */
  dataDir: string;
  /** Where Palot keeps its state file (`$XDG_STATE_HOME/palot`). */
  stateDir: string;
  /** Access token required on every request; mandatory when bound to a non-loopback address. */
  token?: string;
  /** Leave OpenCode running on exit so the next start adopts it (used by `dev.ts`). */
  keepOpencode: boolean;
  /** Idle time after which a project's OpenCode instance is disposed (`--instance-idle`, minutes; 0: never). */
  instanceIdleMs: number;
  /** Live OpenCode instances above which the least recently used idle ones go (`--max-instances`; 0: no cap). */
  maxInstances: number;
  /** A folder given on the command line, as typed: its New session address is printed at start. */
  folder?: string;
  /**
   * Host names (`--allowed-host`, lower case, optionally `name:port`) Palot answers to besides its
   * own address: beyond loopback they narrow "any name", on loopback they add names (a proxy).
   */
  allowedHosts: string[];
}

/** A configuration problem, reported as one line and exit code 2. */
export class ConfigError extends Error {
  override name = "ConfigError";
}

export const HELP = `Palot: every OpenCode project on this machine, in one window

Usage: deno task start [options] [FOLDER]

FOLDER (optional): print the address of a New session page for that folder.

Options:
  --port N              Port for Palot's web page (default 3100; 0 picks a free port)
  --hostname ADDR       Address to bind (default 127.0.0.1); a non-loopback address needs --token
  --opencode-port N     Preferred port for the one opencode server (default 4101)
  --opencode-bin PATH   opencode executable (default: $OPENCODE_BIN, opencode on PATH, then the pinned npm package)
  --data-dir DIR        OpenCode's data dir (default: $XDG_DATA_HOME/opencode, or the folder of $OPENCODE_DB)
  --token TOKEN         Require this token on every request (or set PALOT_TOKEN); at least
                        16 characters
  --keep-opencode       Leave opencode running on exit, to be adopted by the next start
  --instance-idle MIN   Dispose a project's OpenCode instance idle this many minutes (default 10; 0: never)
  --max-instances N     Keep at most N project instances, least recently used go first (default 8; 0: no cap)
  --allowed-host NAME   Answer only to this host name (repeatable); on a loopback address it adds
                        a name, e.g. a TLS reverse proxy's; needs --token
  -h, --help            Show this help
`;

const LOOPBACK = new Set(["127.0.0.1", "localhost", "::1", "[::1]"]);

/** The shortest access token accepted: a short one can be guessed. */
export const MIN_TOKEN_LENGTH = 16;

/** A random token (32 URL-safe characters) to offer when the one given is too short. */
function randomToken(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(24));
  return btoa(String.fromCharCode(...bytes)).replaceAll("+", "-").replaceAll("/", "_");
}

/** Whether an address is a loopback address, where no token is required. */
export function isLoopback(hostname: string): boolean {
  return LOOPBACK.has(hostname) || hostname.startsWith("127.");
}

/**
 * Parses flags and environment into a {@linkcode Config}, or returns `"help"` for `--help`.
 *
 * @example
 * ```ts
 * const config = parseConfig(["--port", "3200"], (name) => Deno.env.get(name));
 * ```
 */
export function parseConfig(
  args: string[],
  env: (name: string) => string | undefined,
): Config | "help" {
  let values;
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args,
      strict: true,
      allowPositionals: true,
      options: {
        port: { type: "string" },
        hostname: { type: "string" },
        "opencode-port": { type: "string" },
        "opencode-bin": { type: "string" },
        "data-dir": { type: "string" },
        token: { type: "string" },
        "keep-opencode": { type: "boolean" },
        "instance-idle": { type: "string" },
        "max-instances": { type: "string" },
        "allowed-host": { type: "string", multiple: true },
        help: { type: "boolean", short: "h" },
      },
    }));
  } catch (error) {
    throw new ConfigError(`${(error as Error).message.split("\n")[0]}; see --help`);
  }
  if (values.help) return "help";
  if (positionals.length > 1) {
    throw new ConfigError(`Expected at most one folder, got ${positionals.length}; see --help`);
  }
  const home = env("HOME") ?? env("USERPROFILE") ?? ".";
  const hostname = values.hostname ?? "127.0.0.1";
  const token = values.token ?? env("PALOT_TOKEN") ?? undefined;
  if (!isLoopback(hostname) && !token) {
    throw new ConfigError(
      `Binding to "${hostname}" exposes Palot beyond this machine: pass --token TOKEN (or set PALOT_TOKEN)`,
    );
  }
  if (token && token.length < MIN_TOKEN_LENGTH) {
    throw new ConfigError(
      `The token is ${token.length} characters: use at least ${MIN_TOKEN_LENGTH}, for example --token ${randomToken()}`,
    );
  }
  const allowedHosts = (values["allowed-host"] ?? []).map(parseHostName);
  if (allowedHosts.length > 0 && !token) {
    throw new ConfigError(
      `--allowed-host "${allowedHosts[0]}" lets other machines reach Palot: pass --token TOKEN too`,
    );
  }
  const opencodeDb = env("OPENCODE_DB");
  const dataDir = values["data-dir"] ??
    (opencodeDb
      ? join(opencodeDb, "..")
      : join(env("XDG_DATA_HOME") ?? join(home, ".local", "share"), "opencode"));
  return {
    hostname,
    port: parsePort(values.port, "--port", 3100),
    opencodePort: parsePort(values["opencode-port"], "--opencode-port", 4101),
    opencodeBin: values["opencode-bin"],
    dataDir,
    stateDir: join(env("XDG_STATE_HOME") ?? join(home, ".local", "state"), "palot"),
    token: token || undefined,
    keepOpencode: values["keep-opencode"] ?? false,
    instanceIdleMs: parseNumber(values["instance-idle"], "--instance-idle", 10, "minutes") * 60_000,
    maxInstances: parseNumber(values["max-instances"], "--max-instances", 8, "instances", true),
    ...(positionals[0] ? { folder: positionals[0] } : {}),
    allowedHosts,
  };
}

function parsePort(value: string | undefined, flag: string, fallback: number): number {
  if (value === undefined) return fallback;
  const port = Number(value);
  if (!/^\d+$/.test(value) || port < 0 || port > 65535) {
    throw new ConfigError(`Invalid ${flag} "${value}": expected a port number from 0 to 65535`);
  }
  return port;
}

function parseNumber(
  value: string | undefined,
  flag: string,
  fallback: number,
  unit: string,
  whole = false,
): number {
  if (value === undefined) return fallback;
  const number = Number(value);
  if (!/^\d+(\.\d+)?$/.test(value) || (whole && !Number.isInteger(number))) {
    throw new ConfigError(
      `Invalid ${flag} "${value}": expected a ${
        whole ? "whole " : ""
      }number of ${unit} (0 turns it off)`,
    );
  }
  return number;
}

/** A `--allowed-host` value: a host name or address, optionally with `:port`, in lower case. */
function parseHostName(value: string): string {
  const name = value.trim().toLowerCase();
  if (!/^(\[[0-9a-f:.]+\]|[a-z0-9_.-]+)(:\d{1,5})?$/.test(name)) {
    throw new ConfigError(
      `Invalid --allowed-host "${value}": expected a host name or address such as "devbox.lan"`,
    );
  }
  return name;
}
