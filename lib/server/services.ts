/**
 * What routes read: the configuration and Palot's long-lived services, as one type. It lives apart
 * from `app.ts` (which imports every route) so that routes can name it without an import
 * cycle.
 */

import type { Config } from "./config.ts";
import type { DiscoveryStore } from "../common/discovery_types.ts";
import type { LiveEvents } from "./events/live.ts";
import type { OpencodeSupervisor } from "./opencode/supervisor/supervisor.ts";
import type { SearchIndexer } from "./search/indexer.ts";
import type { InstanceKeeper } from "./opencode/instances/keeper.ts";
import type { ToolbarCache } from "./toolbar/toolbar_cache.ts";
import type { AccessToken } from "./http/access_token.ts";

/** The configuration and the long-lived services every route is built over. */
export interface AppServices {
  config: Config;
  supervisor: Pick<OpencodeSupervisor, "endpoint" | "snapshot">;
  /** OpenCode's storage, read-only. */
  discovery: DiscoveryStore;
  /** The live layer (absent in tests that need no events). */
  live?: Pick<LiveEvents, "hub" | "index" | "connected" | "streaming">;
  /** Palot's full-text index of every session (absent in tests that need no search). */
  search?: Pick<SearchIndexer, "search" | "forget" | "progress">;
  /** OpenCode's per-directory instances: use, pins, disposal (absent in tests that need none). */
  instances?: Pick<InstanceKeeper, "use" | "show" | "report" | "terminals">;
  /** Each project's toolbar options, for chat pages (absent in tests that need none). */
  toolbars?: Pick<ToolbarCache, "visit" | "current">;
  /** The access token in force, when `--token` is set (built from it when absent). */
  accessToken?: AccessToken;
}
