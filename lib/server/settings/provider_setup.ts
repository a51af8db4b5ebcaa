/**
 * Whether the user has a model provider of their own, for the home page's first-run note: read
 * from OpenCode's `/config/providers` in its own folder (no project booted), cached, and refreshed
 * in the background (when OpenCode is ready, after a key is saved or removed, on a visit once the
 * answer is older than {@linkcode FRESH_MS}). A page never waits for it.
 *
 * @example
 * ```ts
 * const setup = new ProviderSetup({ source: supervisor });
 * if (setup.needed()) console.log("Connect a provider in Settings");
 * ```
 */

import type { EndpointSource } from "../opencode/endpoint.ts";
import { opencodeApi } from "../opencode/opencode_api.ts";
import { needsProvider, type ToolbarSources } from "../../common/toolbar_data.ts";

/** How long an answer is used before a visit asks again. */
const FRESH_MS = 30_000;

export class ProviderSetup {
  #source: EndpointSource;
  #answer: { needed: boolean; at: number } | undefined;
  #loading: Promise<void> | undefined;

  constructor({ source }: { source: EndpointSource }) {
    this.#source = source;
  }

  /**
   * `true` when no provider of the user's own is connected, `false` when one is, `undefined` while
   * unknown (OpenCode starting). Starts a refresh when the answer is old.
   */
  needed(): boolean | undefined {
    if (!this.#answer || Date.now() - this.#answer.at > FRESH_MS) this.refresh();
    return this.#answer?.needed;
  }

  /** Asks OpenCode again (once at a time); never rejects. */
  refresh(): Promise<void> {
    this.#loading ??= (async () => {
      try {
        const providers = await opencodeApi<ToolbarSources["providers"]>(
          this.#source,
          "/config/providers",
          { timeoutMs: 30_000 },
        );
        this.#answer = { needed: needsProvider(providers), at: Date.now() };
      } catch {
        // Unknown until OpenCode answers; the last answer stays.
      }
    })().finally(() => this.#loading = undefined);
    return this.#loading;
  }
}
