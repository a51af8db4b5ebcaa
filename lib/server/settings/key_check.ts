/**
 * Checking an API key before it is saved, where the provider's API makes that possible: a models
 * request (`GET {base}/models`), which costs nothing, to OpenAI-compatible providers, OpenAI and
 * Anthropic. A 401 or 403 is a refused key; a provider that cannot be reached, or answers anything
 * else, leaves the key unchecked (saved, with a note), so a check never stands in the way.
 *
 * @example
 * ```ts
 * const check = await checkApiKey(supervisor, "deepseek", key);
 * if (check.verdict === "refused") console.log(`Key refused by DeepSeek: ${check.message}`);
 * ```
 */

import type { EndpointSource } from "../opencode/endpoint.ts";
import { opencodeApi } from "../opencode/opencode_api.ts";

export type KeyCheck =
  | { verdict: "accepted" }
  | { verdict: "refused"; message: string }
  | { verdict: "unchecked"; reason: string };

interface ProviderEntry {
  id: string;
  name: string;
  options?: { baseURL?: unknown };
  models: Record<string, { api?: { url?: string; npm?: string } }>;
}

/** How the provider's models request is made, or `undefined` when Palot cannot make it. */
function modelsRequest(
  provider: ProviderEntry,
  key: string,
): { base: string; headers: Record<string, string> } | undefined {
  const model = Object.values(provider.models)[0]?.api;
  const configured = typeof provider.options?.baseURL === "string"
    ? provider.options.baseURL
    : undefined;
  switch (model?.npm) {
    case "@ai-sdk/openai-compatible":
    case "@ai-sdk/openai": {
      const base = configured || model.url ||
        (model.npm === "@ai-sdk/openai" ? "https://api.openai.com/v1" : "");
      return base ? { base, headers: { authorization: `Bearer ${key}` } } : undefined;
    }
    case "@ai-sdk/anthropic":
      return {
        base: configured || model.url || "https://api.anthropic.com/v1",
        headers: { "x-api-key": key, "anthropic-version": "2023-06-01" },
      };
  }
  return undefined;
}

/** The provider's own words for a refusal, from its JSON error when it has one. */
async function refusal(response: Response): Promise<string> {
  const text = await response.text().catch(() => "");
  try {
    const body = JSON.parse(text);
    const message = body?.error?.message ?? body?.message ?? body?.error;
    if (typeof message === "string" && message) return message;
  } catch { /* not JSON */ }
  return `HTTP ${response.status}`;
}

/** Asks `providerId`'s API whether it accepts `key` (never logged, sent only to that API). */
export async function checkApiKey(
  source: EndpointSource,
  providerId: string,
  key: string,
  { timeoutMs = 8_000 } = {},
): Promise<KeyCheck> {
  const list = await opencodeApi<{ all: ProviderEntry[] }>(source, "/provider", {
    timeoutMs: 60_000,
  });
  const provider = list.all.find((entry) => entry.id === providerId);
  const request = provider && modelsRequest(provider, key);
  if (!request) return { verdict: "unchecked", reason: "Palot cannot check this provider's keys" };
  const url = `${request.base.replace(/\/+$/, "")}/models`;
  let response: Response;
  try {
    response = await fetch(url, {
      headers: request.headers,
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    const why = (error as Error).message;
    return {
      verdict: "unchecked",
      reason: `${provider.name} could not be reached at ${url} (${why})`,
    };
  }
  if (response.status === 401 || response.status === 403) {
    return { verdict: "refused", message: await refusal(response) };
  }
  await response.body?.cancel();
  return response.ok
    ? { verdict: "accepted" }
    : { verdict: "unchecked", reason: `${provider.name} answered HTTP ${response.status}` };
}
