/**
 * Palot's entry point: parse flags, serve HTTP at once, then start (or adopt) the one OpenCode
 * server in the background, so the page never waits for OpenCode to boot. SIGINT and SIGTERM stop
 * OpenCode (unless `--keep-opencode`) and exit.
 */

import { resolve } from "node:path";
import { createApp } from "./app.ts";
import { type Config, ConfigError, HELP, parseConfig } from "./lib/server/config.ts";
import { checkFolder, homeFolder } from "./lib/server/folders/check.ts";
import { readyLines } from "./lib/server/http/links.ts";
import { createServices, type Palot } from "./lib/server/services.ts";

/** Exits with code 2 and one line, for a problem the user must fix before starting. */
function fail(message: string): never {
  console.error(`palot: ${message}`);
  Deno.exit(2);
}

function loadConfig(): Config {
  try {
    const config = parseConfig(Deno.args, (name) => Deno.env.get(name));
    if (config === "help") {
      console.log(HELP);
      Deno.exit(0);
    }
    return config;
  } catch (error) {
    if (error instanceof ConfigError) fail(error.message);
    throw error;
  }
}

const config = loadConfig();
/** The folder given on the command line, checked (relative to where `deno task` was run). */
let folder: string | undefined;
if (config.folder) {
  const typed = config.folder.startsWith("~")
    ? config.folder
    : resolve(Deno.env.get("INIT_CWD") ?? Deno.cwd(), config.folder);
  const check = await checkFolder(typed, { home: homeFolder() });
  if (!check.ok) fail(`Cannot open the folder: ${check.error}`);
  folder = check.path;
}
let palot: Palot;
try {
  palot = await createServices(config, {
    // Undocumented: a small buffer lets tests reach the "resync" path quickly.
    eventBuffer: Number(Deno.env.get("PALOT_EVENT_BUFFER")) || undefined,
    onTokenRotate: (token) =>
      printLinks("New token set in Settings; other browsers are signed out.", token),
  });
} catch (error) {
  fail((error as Error).message);
}
const { accessToken } = palot.services;
if (accessToken?.rotated) console.log("Using the token set in Settings (New token), not --token");

let server: Deno.HttpServer;
try {
  // The app is built once listening, so that with `--port 0` it knows (and checks Host against)
  // the real port. No request is handled before this module's code has run to its end.
  server = Deno.serve(
    { hostname: config.hostname, port: config.port, onListen: () => {} },
    (request, info) => app.fetch(request, info),
  );
} catch (error) {
  if (error instanceof Deno.errors.AddrInUse) {
    fail(`Port ${config.port} is already in use: stop the other program or pass --port N`);
  }
  fail(`Cannot listen on ${config.hostname}:${config.port}: ${(error as Error).message}`);
}
const listening: Config = { ...config, port: (server.addr as Deno.NetAddr).port };
const app = createApp({ ...palot.services, config: listening });

/** Prints the links for this machine and other devices, and a QR code for a phone. */
function printLinks(heading?: string, token = accessToken?.current) {
  if (heading) console.log(heading);
  const options = { hostname: listening.hostname, port: listening.port, token };
  for (const line of readyLines(options, Deno.networkInterfaces())) console.log(line);
}
printLinks();
if (folder) {
  // A wildcard bind is reached on this machine through loopback.
  const bound = ["0.0.0.0", "::", "[::]"].includes(listening.hostname)
    ? "127.0.0.1"
    : listening.hostname;
  const host = bound.includes(":") && !bound.startsWith("[") ? `[${bound}]` : bound;
  const token = accessToken ? `&token=${encodeURIComponent(accessToken.current)}` : "";
  const path = `/new?directory=${encodeURIComponent(folder)}${token}`;
  console.log(`New session in ${folder}: http://${host}:${listening.port}${path}`);
}
palot.start();

let shuttingDown = false;
async function shutdown(signal: string) {
  if (shuttingDown) return;
  shuttingDown = true;
  console.log(`Received ${signal}; stopping`);
  await palot.stop();
  // Streams still open through the proxy must not keep Palot from exiting.
  await Promise.race([server.shutdown(), new Promise((resolve) => setTimeout(resolve, 2_000))]);
  Deno.exit(0);
}
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  Deno.addSignalListener(signal, () => shutdown(signal));
}
