/**
 * The links Palot prints when it is ready (and after `New token`): one for this machine, one per
 * address another device can reach it at (never `0.0.0.0`), and a QR code of the first of those for
 * a phone. Pure functions over the machine's interfaces (`Deno.networkInterfaces()`), so they are
 * tested without a network.
 */

import { renderUnicodeCompact } from "uqr";
import { isLoopback } from "../config.ts";

export interface LinkOptions {
  /** The address Palot is bound to. */
  hostname: string;
  /** The port it listens on (the real one). */
  port: number;
  /** The token in force, added to each link as `?token=`. */
  token?: string;
}

type Interface = Pick<Deno.NetworkInterfaceInfo, "family" | "address">;

const WILDCARDS = new Set(["0.0.0.0", "::", "[::]"]);

/**
 * The addresses of this machine another device can use, for a bind address: none on loopback,
 * every non-loopback IPv4 address for `0.0.0.0` (and IPv6, without link-local ones, which need a
 * zone no browser takes, for `::`), else the bound address itself.
 *
 * @example
 * ```ts
 * remoteAddresses("0.0.0.0", Deno.networkInterfaces()); // ["192.0.2.2"]
 * ```
 */
export function remoteAddresses(hostname: string, interfaces: Interface[]): string[] {
  if (isLoopback(hostname)) return [];
  if (!WILDCARDS.has(hostname)) return [hostname];
  const withIpv6 = hostname !== "0.0.0.0";
  const addresses = interfaces.filter(({ family, address }) =>
    family === "IPv4"
      ? !address.startsWith("127.")
      : withIpv6 && address !== "::1" && !/^fe[89ab]/i.test(address)
  );
  // IPv4 first: the QR code shows the first link, and it should be the shortest and likeliest.
  addresses.sort((a, b) => (a.family === b.family ? 0 : a.family === "IPv4" ? -1 : 1));
  return [...new Set(addresses.map(({ address }) => address))];
}

/** `http://address:port/`, with `?token=` when there is one. IPv6 addresses go in brackets. */
export function linkTo(address: string, port: number, token?: string): string {
  const host = address.includes(":") && !address.startsWith("[") ? `[${address}]` : address;
  return `http://${host}:${port}/` + (token ? `?token=${encodeURIComponent(token)}` : "");
}

/** The link for a browser on this machine: loopback when bound to every address. */
export function localLink({ hostname, port, token }: LinkOptions): string {
  const address = hostname === "0.0.0.0" ? "127.0.0.1" : WILDCARDS.has(hostname) ? "::1" : hostname;
  const link = linkTo(address, port, token);
  return token ? link : link.slice(0, -1);
}

/**
 * The lines Palot prints: `Palot ready at <link for this machine>`, then, when other devices can
 * reach it, one link per address and a QR code of the first.
 *
 * @example
 * ```ts
 * for (const line of readyLines(config, Deno.networkInterfaces())) console.log(line);
 * ```
 */
export function readyLines(options: LinkOptions, interfaces: Interface[]): string[] {
  const lines = [`Palot ready at ${localLink(options)}`];
  const remote = remoteAddresses(options.hostname, interfaces).map((address) =>
    linkTo(address, options.port, options.token)
  );
  if (remote.length === 0) {
    if (!isLoopback(options.hostname)) {
      lines.push("No network address found for other devices: is this machine on a network?");
    }
    return lines;
  }
  lines.push("From another device (same network):", ...remote.map((link) => `  ${link}`));
  lines.push(`Scan to open ${remote[0]} on a phone:`, renderUnicodeCompact(remote[0]));
  return lines;
}
