/**
 * Palot's entry point: parse flags, serve HTTP at once, then start (or adopt) the one OpenCode
 * server in the background, so the page never waits for OpenCode to boot. SIGINT and SIGTERM stop
 * OpenCode (unless `--keep-opencode`) and exit.
 */

import { basename, dirname, join, resolve } from "node:path";
import { createApp } from "./app.ts";
import { type Config, ConfigError, HELP, parseConfig } from "./lib/server/config.ts";
import { type DiscoveryStore, openDiscovery } from "./lib/server/discovery/mod.ts";
import { LiveEvents } from "./lib/server/events/live.ts";
import { checkFolder, homeFolder } from "./lib/server/folders/check.ts";
import { resolveOpencodeBinary } from "./lib/server/opencode/supervisor/binary.ts";
import { OpencodeSupervisor } from "./lib/server/opencode/supervisor/supervisor.ts";
import { SearchIndexer } from "./lib/server/search/indexer.ts";
import { InstanceKeeper } from "./lib/server/opencode/instances/keeper.ts";
import { ToolbarCache } from "./lib/server/toolbar/toolbar_cache.ts";
import { AccessToken } from "./lib/server/http/access_token.ts";
import { readyLines } from "./lib/server/http/links.ts";
import { ConfigWatch, opencodeConfigFiles } from "./lib/server/opencode/config_watch.ts";
import { reloadProviders } from "./lib/server/settings/providers.ts";
import { sleep } from "./lib/server/sleep.ts";

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

/**
 * OpenCode's environment: Palot's own, and when `--data-dir` names a folder called `opencode`,
 * `XDG_DATA_HOME` set to its parent, so the server writes where Palot reads.
 */
function opencodeEnv(config: Config): Record<string, string> {
  const env = Deno.env.toObject();
  if (basename(config.dataDir) === "opencode") env.XDG_DATA_HOME = dirname(config.dataDir);
  return env;
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
let binary;
try {
  binary = resolveOpencodeBinary({ flag: config.opencodeBin });
} catch (error) {
  fail((error as Error).message);
}
const supervisor = new OpencodeSupervisor({
  binary,
  env: opencodeEnv(config),
  port: config.opencodePort,
  stateDir: config.stateDir,
  log: (line) => console.log(`[opencode] ${line}`),
});

let discovery: DiscoveryStore;
try {
  discovery = openDiscovery(config.dataDir);
} catch (error) {
  fail((error as Error).message);
}
const toolbars = new ToolbarCache({
  source: supervisor,
  onUse: (directory) => instances.use(directory),
  log: (line) => console.log(`[instances] ${line}`),
});
const instances: InstanceKeeper = new InstanceKeeper({
  source: supervisor,
  idleMs: config.instanceIdleMs,
  maxInstances: config.maxInstances,
  liveSessions: () => live.index.snapshot(),
  recentDirectories: (sinceMs) => discovery.recentDirectories(sinceMs),
  onForget: (directory) => toolbars.drop(directory),
  log: (line) => console.log(`[instances] ${line}`),
});
const live: LiveEvents = new LiveEvents({
  source: supervisor,
  // Only folders with a live instance are read when seeding statuses: reading one boots it.
  recentDirectories: () => instances.directories(),
  // Undocumented: a small buffer lets tests reach the "resync" path quickly.
  capacity: Number(Deno.env.get("PALOT_EVENT_BUFFER")) || undefined,
  log: (line) => console.log(`[events] ${line}`),
});
const search = new SearchIndexer({
  dataDir: config.dataDir,
  indexPath: join(config.stateDir, "search.db"),
  log: (line) => console.log(`[search] ${line}`),
});
live.hub.subscribe(({ event }) => search.onEvent(event));
live.hub.subscribe(({ event }) => instances.observe(event));
const accessToken = config.token
  ? await AccessToken.open(config.token, {
    stateDir: config.stateDir,
    onRotate: (token) =>
      printLinks("New token set in Settings; other browsers are signed out.", token),
  })
  : undefined;
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
const app = createApp({
  config: listening,
  supervisor,
  discovery,
  live,
  search,
  instances,
  toolbars,
  accessToken,
});

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
supervisor.start();
live.start();
// The index is built once the first pages are served: its batches would delay them.
const searchStart = setTimeout(() => search.start(), 1_000);
instances.start();
// OpenCode's config edited by hand (a provider added to opencode.json): a project's own config is
// read again when its instance reloads; the global config only when OpenCode restarts, which ends
// its sessions and terminals, so it waits until none is at work. Either way no restart by hand.
const globalConfig = new Set(opencodeConfigFiles((name) => Deno.env.get(name), []));
const atWork = () => live.index.busySessionIds().size + instances.terminals.list().length;
let restarting: Promise<void> | undefined;
const configWatch = new ConfigWatch({
  files: () => opencodeConfigFiles((name) => Deno.env.get(name), instances.directories()),
  onChange: (changed) => {
    console.log(`[opencode] Config changed (${changed.join(", ")})`);
    if (!changed.some((file) => globalConfig.has(file))) {
      reloadProviders(supervisor, { busy: () => live.index.busySessionIds().size });
      return;
    }
    restarting ??= (async () => {
      if (atWork() > 0) {
        console.log("[opencode] Restarting once no agent works and no terminal runs");
      }
      while (atWork() > 0 && !shuttingDown) await sleep(2_000);
      if (!shuttingDown) await supervisor.restart("its global config changed");
    })().finally(() => restarting = undefined);
  },
});
configWatch.start();

let shuttingDown = false;
async function shutdown(signal: string) {
  if (shuttingDown) return;
  shuttingDown = true;
  console.log(`Received ${signal}; stopping`);
  await live.stop();
  clearTimeout(searchStart);
  await search.stop();
  configWatch.stop();
  await instances.stop();
  await supervisor.stop({ keep: config.keepOpencode });
  // Streams still open through the proxy must not keep Palot from exiting.
  await Promise.race([server.shutdown(), new Promise((resolve) => setTimeout(resolve, 2_000))]);
  discovery.close();
  Deno.exit(0);
}
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  Deno.addSignalListener(signal, () => shutdown(signal));
}
