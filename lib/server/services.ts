/**
 * Palot's long-lived services, and what routes read of them ({@linkcode AppServices}).
 * {@linkcode createServices} builds them from the configuration, wired to each other, for
 * `main.ts` and for tests that run the whole of Palot in their own process. The type lives here,
 * apart from `app.ts` (which imports every route), so that routes can name it without an import
 * cycle.
 *
 * @example
 * ```ts
 * const palot = await createServices(config);
 * const app = createApp({ ...palot.services, config });
 * palot.start();
 * // ...
 * await palot.stop();
 * ```
 */

import { basename, dirname, join } from "node:path";
import type { Config } from "./config.ts";
import type { DiscoveryStore } from "../common/discovery_types.ts";
import { openDiscovery } from "./discovery/mod.ts";
import { ApiFallbackDiscovery } from "./discovery/api_fallback.ts";
import { LiveEvents } from "./events/live.ts";
import { AccessToken } from "./http/access_token.ts";
import { ConfigWatch, opencodeConfigFiles } from "./opencode/config_watch.ts";
import { InstanceKeeper } from "./opencode/instances/keeper.ts";
import { type ResolvedBinary, resolveOpencodeBinary } from "./opencode/supervisor/binary.ts";
import { OpencodeSupervisor } from "./opencode/supervisor/supervisor.ts";
import { SearchIndexer } from "./search/indexer.ts";
import { ProviderSetup } from "./settings/provider_setup.ts";
import { RemoteServers } from "./remote/remote_servers.ts";
import { reloadProviders } from "./settings/providers.ts";
import { sleep } from "./sleep.ts";
import { ToolbarCache } from "./toolbar/toolbar_cache.ts";

/** The configuration and the long-lived services every route is built over. */
export interface AppServices {
  config: Config;
  supervisor: Pick<OpencodeSupervisor, "endpoint" | "snapshot">;
  /** OpenCode's storage, read-only. */
  discovery: DiscoveryStore;
  /** The live layer (absent in tests that need no events). */
  live?: Pick<LiveEvents, "hub" | "index" | "connected" | "streaming">;
  /** Palot's full-text index of every session (absent in tests that need no search). */
  search?: Pick<SearchIndexer, "search" | "forget" | "progress" | "sessionsByTitle">;
  /** OpenCode's per-directory instances: use, pins, disposal (absent in tests that need none). */
  instances?: Pick<InstanceKeeper, "use" | "show" | "report" | "terminals">;
  /** Each project's toolbar options, for chat pages (absent in tests that need none). */
  toolbars?: Pick<ToolbarCache, "visit" | "current" | "clear">;
  /** Whether the user has a provider of their own (absent in tests that need none). */
  providerSetup?: Pick<ProviderSetup, "needed" | "refresh">;
  /** The access token in force, when `--token` is set (built from it when absent). */
  accessToken?: AccessToken;
  /** The other machines' OpenCode servers the user added (absent in tests that need none). */
  remotes?: RemoteServers;
}

/** Every service, complete (routes read a part of each: {@linkcode AppServices}). */
export interface PalotServices {
  supervisor: OpencodeSupervisor;
  discovery: DiscoveryStore;
  live: LiveEvents;
  search: SearchIndexer;
  instances: InstanceKeeper;
  toolbars: ToolbarCache;
  providerSetup: ProviderSetup;
  accessToken?: AccessToken;
  remotes: RemoteServers;
}

export interface CreateServicesOptions {
  /** Palot's environment (default `Deno.env`): OpenCode inherits it, config files are found by it. */
  env?: Record<string, string>;
  /** Where each service's log lines go, with its tag (default the console). */
  log?: (tag: string, line: string) => void;
  /** Called when `New token` replaced the access token, with the new one. */
  onTokenRotate?: (token: string) => void;
  /** The hub's replay buffer (default the hub's own). */
  eventBuffer?: number;
  /** How long after `start()` the search index starts building (default 1 s). */
  searchDelayMs?: number;
}

/** The services, and their start and stop. */
export interface Palot {
  services: PalotServices;
  /** The OpenCode binary used, and where it was found. */
  binary: ResolvedBinary;
  /** Starts OpenCode (or adopts it), the event stream, the keeper, the index and config watch. */
  start(): void;
  /**
   * Stops everything `start()` started, OpenCode too unless `config.keepOpencode`. OpenCode's
   * storage stays open for requests still being answered; it closes with the process, or with
   * `await using`.
   */
  stop(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

/**
 * Builds Palot's services over `config` (nothing runs until `start()`). Throws with a message for
 * the user when OpenCode's binary or storage cannot be found.
 */
export async function createServices(
  config: Config,
  options: CreateServicesOptions = {},
): Promise<Palot> {
  const env = options.env ?? Deno.env.toObject();
  const log = options.log ?? ((tag, line) => console.log(`[${tag}] ${line}`));
  const logAs = (tag: string) => (line: string) => log(tag, line);
  const getEnv = (name: string): string | undefined => env[name];
  const binary = resolveOpencodeBinary({ flag: config.opencodeBin, env: getEnv });
  const supervisor = new OpencodeSupervisor({
    binary,
    env: opencodeEnv(config, env),
    port: config.opencodePort,
    stateDir: config.stateDir,
    log: logAs("opencode"),
  });
  const discovery = new ApiFallbackDiscovery({
    open: () => openDiscovery(config.dataDir),
    dataDir: config.dataDir,
    source: supervisor,
    log: logAs("discovery"),
  });
  const toolbars = new ToolbarCache({
    source: supervisor,
    onUse: (directory) => instances.use(directory),
    log: logAs("instances"),
  });
  const instances: InstanceKeeper = new InstanceKeeper({
    source: supervisor,
    idleMs: config.instanceIdleMs,
    maxInstances: config.maxInstances,
    liveSessions: () => live.index.snapshot(),
    recentDirectories: (sinceMs) => discovery.recentDirectories(sinceMs),
    onForget: (directory) => toolbars.drop(directory),
    log: logAs("instances"),
  });
  const live: LiveEvents = new LiveEvents({
    source: supervisor,
    // Only folders with a live instance are read when seeding statuses: reading one boots it.
    recentDirectories: () => instances.directories(),
    capacity: options.eventBuffer,
    log: logAs("events"),
  });
  const search = new SearchIndexer({
    dataDir: config.dataDir,
    indexPath: join(config.stateDir, "search.db"),
    log: logAs("search"),
  });
  const providerSetup = new ProviderSetup({ source: supervisor });
  // This machine's services read this machine's events; another server's are for its pages.
  live.hub.subscribe(({ event }) => event.server === undefined && search.onEvent(event));
  live.hub.subscribe(({ event }) => event.server === undefined && instances.observe(event));
  live.hub.subscribe(({ event }) => {
    discovery.observe(event);
    // OpenCode (re)connected: the API's list is read again (only while it stands in for storage).
    if (event.payload.type === "palot.resync") discovery.reload();
  });
  const remotes = new RemoteServers({
    stateDir: config.stateDir,
    onEvent: (event) => live.hub.publish(event),
    // Undocumented: tests point ssh at their own config (their sshd, key and known hosts).
    sshArgs: env.PALOT_SSH_CONFIG ? ["-F", env.PALOT_SSH_CONFIG] : undefined,
    log: logAs("servers"),
  });
  const accessToken = config.token
    ? await AccessToken.open(config.token, {
      stateDir: config.stateDir,
      onRotate: options.onTokenRotate,
    })
    : undefined;

  // OpenCode's config edited by hand (a provider added to opencode.json): a project's own config is
  // read again when its instance reloads; the global config only when OpenCode restarts, which
  // ends its sessions and terminals, so it waits until none is at work. Either way no restart by
  // hand.
  const globalConfig = new Set(opencodeConfigFiles(getEnv, []));
  const atWork = () => live.index.busySessionIds().size + instances.terminals.list().length;
  let stopped = false;
  let restarting: Promise<void> | undefined;
  const configWatch = new ConfigWatch({
    files: () => opencodeConfigFiles(getEnv, instances.directories()),
    onChange: (changed) => {
      log("opencode", `Config changed (${changed.join(", ")})`);
      if (!changed.some((file) => globalConfig.has(file))) {
        reloadProviders(supervisor, {
          busy: () => live.index.busySessionIds().size,
          onReloaded: () => toolbars.clear(),
        })
          .then(() => providerSetup.refresh());
        return;
      }
      restarting ??= (async () => {
        if (atWork() > 0) log("opencode", "Restarting once no agent works and no terminal runs");
        while (atWork() > 0 && !stopped) await sleep(2_000);
        if (!stopped) await supervisor.restart("its global config changed");
        if (!stopped) await supervisor.ready().then(() => providerSetup.refresh());
      })().finally(() => restarting = undefined);
    },
  });

  let searchStart: ReturnType<typeof setTimeout> | undefined;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await remotes.stop();
    await live.stop();
    clearTimeout(searchStart);
    await search.stop();
    configWatch.stop();
    await instances.stop();
    await supervisor.stop({ keep: config.keepOpencode });
  };
  return {
    services: {
      supervisor,
      discovery,
      live,
      search,
      instances,
      toolbars,
      providerSetup,
      accessToken,
      remotes,
    },
    binary,
    start() {
      supervisor.start();
      supervisor.ready().then(() => providerSetup.refresh(), () => {});
      live.start();
      remotes.start();
      // The index is built once the first pages are served: its batches would delay them.
      searchStart = setTimeout(() => search.start(), options.searchDelayMs ?? 1_000);
      instances.start();
      configWatch.start();
    },
    stop,
    async [Symbol.asyncDispose]() {
      await stop();
      discovery.close();
    },
  };
}

/**
 * OpenCode's environment: Palot's own, and when `--data-dir` names a folder called `opencode`,
 * `XDG_DATA_HOME` set to its parent, so the server writes where Palot reads.
 */
function opencodeEnv(config: Config, env: Record<string, string>): Record<string, string> {
  if (basename(config.dataDir) !== "opencode") return env;
  return { ...env, XDG_DATA_HOME: dirname(config.dataDir) };
}
