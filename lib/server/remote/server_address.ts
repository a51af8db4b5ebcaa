/**
 * A remote OpenCode server's address as the user types it (`http(s)://host:port`): checked and
 * written one way (no trailing slash, no path), and refused when it points back at Palot itself.
 * Each refusal is a {@linkcode ServerInputError} whose message says the fix.
 */

import { isLoopback } from "../config.ts";

/** Bad input for a server: the message is shown beside the field. */
export class ServerInputError extends Error {
  override name = "ServerInputError";
}

/**
 * `input` as an address Palot can call, `scheme://host[:port]`.
 *
 * @example
 * ```ts
 * normalizeAddress(" http://10.0.0.5:4096/ "); // "http://10.0.0.5:4096"
 * ```
 */
export function normalizeAddress(input: string): string {
  const text = input.trim();
  if (!text) throw new ServerInputError("Enter the server's address, like http://host:4096");
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) {
    throw new ServerInputError(
      `"${text}" has no scheme: write http://${text} (or https:// for a server behind TLS)`,
    );
  }
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new ServerInputError(`"${text}" is not an address; write it like http://host:4096`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new ServerInputError(
      `Only http:// and https:// servers can be added, not ${url.protocol}//`,
    );
  }
  if (url.username || url.password) {
    throw new ServerInputError("Put the password in the Password field, not in the address");
  }
  if ((url.pathname !== "/" && url.pathname !== "") || url.search || url.hash) {
    throw new ServerInputError(
      `Give the server's address without a path: ${url.protocol}//${url.host}`,
    );
  }
  return `${url.protocol}//${url.host}`;
}

/** The port an address names, its scheme's default when it names none. */
function portOf(url: URL): number {
  return Number(url.port || (url.protocol === "https:" ? 443 : 80));
}

/** This machine's own addresses: loopback, and every interface's. */
function ownAddresses(): Set<string> {
  const own = new Set(["localhost", "0.0.0.0", "[::]"]);
  try {
    for (const { address } of Deno.networkInterfaces()) {
      own.add(address.includes(":") ? `[${address}]` : address);
    }
  } catch { /* not allowed to list interfaces: loopback is still known */ }
  return own;
}

/**
 * Throws when `address` (normalized) is Palot itself: this machine's name or address on Palot's
 * own port.
 */
export function refuseSelf(address: string, palot: { port: number; hostname: string }): void {
  const url = new URL(address);
  const host = url.hostname.toLowerCase();
  const local = isLoopback(host) || ownAddresses().has(host) ||
    host === palot.hostname.toLowerCase() || host === Deno.hostname().toLowerCase();
  if (local && portOf(url) === palot.port) {
    throw new ServerInputError(
      `${address} is Palot itself: add the address of another machine's opencode serve`,
    );
  }
}
