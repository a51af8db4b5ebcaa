/**
 * Palot's access token while it runs: the one given by `--token` (or `PALOT_TOKEN`) until a user
 * asks for a new one in Settings, then a random one. A rotated token is kept in Palot's state
 * folder (`token.json`, mode 0600) with a digest of the configured token it replaced, so a restart
 * with the same `--token` keeps the old token signed out; a different `--token` wins.
 *
 * A browser that signs in with the token is given a sign-in session: a random value for its cookie,
 * never the token itself (a cookie goes to every port of the host). Sessions belong to the token
 * in force: a rotation ends them all. Their SHA-256 digests are kept in `sessions.json` (mode
 * 0600), so a restart keeps browsers signed in.
 */

import { timingSafeEqual } from "hono/utils/buffer";
import { join } from "node:path";

const FILE = "token.json";
const SESSIONS_FILE = "sessions.json";
/** The most sign-in sessions kept; the oldest is ended past this. */
const MAX_SESSIONS = 200;

interface StoredSessions {
  /** SHA-256 (hex) of the token the sessions belong to. */
  token: string;
  /** SHA-256 (hex) of each session value, oldest first. */
  sessions: string[];
}

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
export class AccessToken {
  #current: string;
  #configured: string;
  #controller = new AbortController();
  #options: AccessTokenOptions;
  /** Digests of the sign-in sessions of the current token, oldest first. */
  #sessions = new Set<string>();

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
    const token = new AccessToken(configured, options, current);
    const sessions = options.stateDir
      ? await readJson<StoredSessions>(join(options.stateDir, SESSIONS_FILE))
      : undefined;
    if (sessions?.token === await digest(current) && Array.isArray(sessions.sessions)) {
      token.#sessions = new Set(sessions.sessions.filter((value) => typeof value === "string"));
    }
    return token;
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

  /** Whether `presented` is the token in force (compared in constant time). */
  matches(presented: string): Promise<boolean> {
    return timingSafeEqual(presented, this.#current);
  }

  /**
   * Starts a sign-in session for a browser that presented the token: the value for its cookie.
   *
   * @example
   * ```ts
   * if (await token.matches(fromLink)) setCookie(c, "palot_session", await token.startSession());
   * ```
   */
  async startSession(): Promise<string> {
    const value = randomValue(32);
    this.#sessions.add(await digest(value));
    for (const oldest of this.#sessions) {
      if (this.#sessions.size <= MAX_SESSIONS) break;
      this.#sessions.delete(oldest);
    }
    await this.#saveSessions();
    return value;
  }

  /** Whether `value` (a cookie) is a sign-in session of the token in force. */
  async hasSession(value: string): Promise<boolean> {
    // Looked up by digest: timing tells nothing about a value whose digest an attacker cannot aim.
    return value !== "" && this.#sessions.has(await digest(value));
  }

  /**
   * Replaces the token with a new random one (kept in the state folder), ending every sign-in
   * session and every stream or WebSocket opened with the old one: every browser holding the old
   * one is signed out.
   */
  async rotate(): Promise<string> {
    const token = randomValue(24);
    if (this.#options.stateDir) {
      await writeStored(this.#options.stateDir, FILE, {
        token,
        replaces: await digest(this.#configured),
      });
    }
    this.#current = token;
    this.#sessions.clear();
    await this.#saveSessions();
    const previous = this.#controller;
    this.#controller = new AbortController();
    previous.abort();
    this.#options.onRotate?.(token);
    return token;
  }

  async #saveSessions(): Promise<void> {
    if (!this.#options.stateDir) return;
    const stored: StoredSessions = {
      token: await digest(this.#current),
      sessions: [...this.#sessions],
    };
    await writeStored(this.#options.stateDir, SESSIONS_FILE, stored);
  }
}

/** `bytes` random bytes as URL-safe base64. */
function randomValue(bytes: number): string {
  const random = crypto.getRandomValues(new Uint8Array(bytes));
  return btoa(String.fromCharCode(...random)).replaceAll("+", "-").replaceAll("/", "_")
    .replaceAll("=", "");
}

async function digest(text: string): Promise<string> {
  const hash = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return Array.from(new Uint8Array(hash), (byte) => byte.toString(16).padStart(2, "0")).join("");
}

async function readStored(stateDir: string): Promise<StoredToken | undefined> {
  const stored = await readJson<StoredToken>(join(stateDir, FILE));
  const { token, replaces } = stored ?? {};
  if (typeof token === "string" && typeof replaces === "string") return { token, replaces };
  return undefined;
}

/** A JSON file's content; `undefined` when missing or corrupt. */
async function readJson<T>(path: string): Promise<Partial<T> | undefined> {
  try {
    return JSON.parse(await Deno.readTextFile(path));
  } catch {
    return undefined;
  }
}

/** Writes `name` in the state folder (mode 0600), whole or not at all. */
async function writeStored(stateDir: string, name: string, content: unknown): Promise<void> {
  await Deno.mkdir(stateDir, { recursive: true, mode: 0o700 });
  const temporary = join(stateDir, `${name}.${crypto.randomUUID()}.tmp`);
  await Deno.writeTextFile(temporary, JSON.stringify(content), { mode: 0o600 });
  await Deno.chmod(temporary, 0o600).catch(() => {});
  await Deno.rename(temporary, join(stateDir, name));
}
