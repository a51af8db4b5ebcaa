/**
 * An OpenCode endpoint source whose server a test can replace, telling subscribers as the
 * supervisor does when OpenCode restarts.
 *
 * @example
 * ```ts
 * const source = switchableSource(endpoint);
 * const keeper = new InstanceKeeper({ source });
 * source.switchTo({ ...endpoint, startedAt: Date.now() }); // a new server
 * ```
 */

import type { OpencodeEndpoint } from "../lib/server/opencode/endpoint.ts";

export function switchableSource(endpoint: OpencodeEndpoint | undefined) {
  const listeners = new Set<() => void>();
  return {
    endpoint: () => endpoint,
    subscribe: (listener: () => void) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    switchTo(next: OpencodeEndpoint | undefined) {
      endpoint = next;
      for (const listener of listeners) listener();
    },
  };
}
