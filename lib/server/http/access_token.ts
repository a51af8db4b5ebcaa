/**
 * Palot's access token while it runs: the one given by `--token` (or `PALOT_TOKEN`) until a user
 * asks for a new one in Settings, then a random one. A rotated token is kept in Palot's state
 * folder (`token.json`, mode 0600) with a digest of the configured token it replaced, so a restart
 * with the same `--token` keeps the old token signed out; a different `--token` wins.
 */

import { join } from "node:path";
import type { TokenSource } from "./edge.ts";

const FILE = "token.json";

interface StoredToken {
  token: string;
  /** SHA-256 (hex) of the configured token this one replaced. */
  replaces: string;
}

export interface AccessTokenOptions {
  /** Where to keep a rotated token; without it, rotation lasts until Palot stops. */
  stateDir?: string;
  /** Called with each new token (main.ts prints the new links). */
  onRotate?: (token: string) => void;
}

/** The current token, replaceable without a restart. */
export class AccessToken implements TokenSource {
  #current: string;
  #configured: string;
  #controller = new AbortController();
  #options: AccessTokenOptions;

  /**
   * An access token starting from `configured` (use {@linkcode AccessToken.open} to pick up a
   * rotated one from the state folder).
   *
   * @example
   * ```ts
   * const token = new AccessToken("s3cret");
   * await token.rotate(); // token.current is now a random token
   * ```
   */
  constructor(configured: string, options: AccessTokenOptions = {}, current = configured) {
    this.#configured = configured;
    this.#current = current;
    this.#options = options;
  }

  /**
   * The token in force for `configured`: the one rotated in Settings if it replaced `configured`,
   * otherwise `configured` itself.
   *
   * @example
   * ```ts
   * const token = await AccessToken.open("s3cret", { stateDir: config.stateDir });
   * ```
   */
  static async open(configured: string, options: AccessTokenOptions = {}): Promise<AccessToken> {
    const stored = options.stateDir ? await readStored(options.stateDir) : undefined;
    const current = stored && stored.replaces === await digest(configured)
      ? stored.token
      : configured;
    return new AccessToken(configured, options, current);
  }

  get current(): string {
    return this.#current;
  }

  /** Whether the token in force is one rotated in Settings, not the configured one. */
  get rotated(): boolean {
    return this.#current !== this.#configured;
  }

  /** Aborted when this token is replaced. */
  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  /**
   * Replaces the token with a new random one (kept in the state folder), ending every stream
   * opened with the old one; every browser holding the old one is signed out.
   */
  async rotate(): Promise<string> {
    const bytes = crypto.getRandomValues(new Uint8Array(24));
    const token = btoa(String.fromCharCode(...bytes)).replaceAll("+", "-").replaceAll("/", "_");
    if (this.#options.stateDir) {
      await writeStored(this.#options.stateDir, {
        token,
        replaces: await digest(this.#configured),
      });
    }
    this.#current = token;
    const previous = this.#controller;
    this.#controller = new AbortController();
    previous.abort();
    this.#options.onRotate?.(token);
    return token;
  }
}

async function digest(text: string): Promise<string> {
  const hash = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return Array.from(new Uint8Array(hash), (byte) => byte.toString(16).padStart(2, "0")).join("");
}

async function readStored(stateDir: string): Promise<StoredToken | undefined> {
  try {
    const stored = JSON.parse(await Deno.readTextFile(join(stateDir, FILE)));
    if (typeof stored?.token === "string" && typeof stored.replaces === "string") return stored;
  } catch { /* missing or corrupt: the configured token is in force */ }
  return undefined;
}

async function writeStored(stateDir: string, stored: StoredToken): Promise<void> {
  await Deno.mkdir(stateDir, { recursive: true, mode: 0o700 });
  const temporary = join(stateDir, `${FILE}.${crypto.randomUUID()}.tmp`);
  await Deno.writeTextFile(temporary, JSON.stringify(stored), { mode: 0o600 });
  await Deno.chmod(temporary, 0o600).catch(() => {});
  await Deno.rename(temporary, join(stateDir, FILE));
}
