/**
 * Model providers, through OpenCode's own endpoints only: the providers it knows with their state
 * and models (`GET /provider`, `GET /provider/auth`), saving an API key (`PUT /auth/{id}`, the key
 * passed straight through, never logged or kept by Palot), OpenCode's provider OAuth
 * (`/provider/{id}/oauth/*`), and the reload that makes every project offer the new models.
 */

import type { ProviderAuthMethod } from "@opencode-ai/sdk/v2/client";
import { opencodeApi, OpencodeApiError } from "../opencode/opencode_api.ts";
import { checkApiKey, type KeyCheck } from "./key_check.ts";
import type { EndpointSource } from "../opencode/endpoint.ts";
import { sleep } from "../sleep.ts";

export type ProviderState = "connected" | "free" | "needs-key" | "needs-login";

/** A way to connect a provider, with the questions it asks first (`prompts`). */
export type AuthMethod = ProviderAuthMethod;
type AuthPrompt = NonNullable<AuthMethod["prompts"]>[number];

/**
 * The answers to a method's questions that apply: a question asked only when another answer has a
 * value (`when`) is left out otherwise. A select must be answered with one of its options.
 */
export function authInputs(
  method: AuthMethod,
  answer: (key: string) => string,
): Record<string, string> {
  const inputs: Record<string, string> = {};
  const applies = (prompt: AuthPrompt) => {
    if (!prompt.when) return true;
    const value = inputs[prompt.when.key] ?? "";
    return prompt.when.op === "eq" ? value === prompt.when.value : value !== prompt.when.value;
  };
  for (const prompt of method.prompts ?? []) {
    if (!applies(prompt)) continue;
    const value = answer(prompt.key).trim();
    if (prompt.type === "select" && !prompt.options.some((option) => option.value === value)) {
      throw new ProviderInputError(`Choose one of the options for "${prompt.message}"`);
    }
    if (!value) throw new ProviderInputError(`Fill in "${prompt.message}" first`);
    inputs[prompt.key] = value;
  }
  return inputs;
}

export interface ProviderRow {
  id: string;
  name: string;
  state: ProviderState;
  models: string[];
  /** How the provider can be connected; an API key when OpenCode names no other way. */
  methods: AuthMethod[];
}

interface ProviderList {
  all: {
    id: string;
    name: string;
    models: Record<string, { name: string; cost?: { input: number; output: number } }>;
  }[];
  connected: string[];
}

/**
 * Wait for provider lists: the first request in a folder boots OpenCode's instance for it, which
 * loads every provider (measured: 15 to 27 s on a loaded 2-core machine).
 */
const FIRST_BOOT_MS = 60_000;

/** A provider list is asked of OpenCode again after this long, whatever else happened. */
const LIST_KEPT_MS = 60_000;

interface KeptList {
  list: ProviderList;
  /** The server it came from: a restarted OpenCode is asked again. */
  endpoint: unknown;
  /** The size and time of OpenCode's file of keys when it was read (a key saved elsewhere). */
  keys: string;
  at: number;
}

/**
 * `GET /provider`'s answers by folder: every model of 200-odd providers, 6 MB of JSON that takes
 * OpenCode 1 to 2.6 s here, asked by every Settings page. Kept for a minute while OpenCode, its
 * file of keys and its config stay as they were: Palot's own changes (a key saved or removed, a
 * sign-in, a config edited) forget them ({@linkcode forgetProviderLists}).
 */
const keptLists = new Map<string, KeptList>();

/** Forgets the provider lists kept (the providers, or what they depend on, changed). */
export function forgetProviderLists(): void {
  keptLists.clear();
}

/** Size and time of `file`, or `missing`: a cheap stat that says whether it was written. */
async function fileStamp(file: string | undefined): Promise<string> {
  if (!file) return "";
  return await Deno.stat(file).then(
    (info) => `${info.size}:${info.mtime?.getTime()}`,
    () => "missing",
  );
}

/** `GET /provider` in `directory`, or the answer kept from a moment ago (see `keptLists`). */
async function providerList(
  source: EndpointSource,
  directory: string | undefined,
  keysFile: string | undefined,
): Promise<ProviderList> {
  const key = directory ?? "";
  const endpoint = source.endpoint();
  const keys = await fileStamp(keysFile);
  const kept = keptLists.get(key);
  if (
    kept && kept.endpoint === endpoint && kept.keys === keys && Date.now() - kept.at < LIST_KEPT_MS
  ) {
    return kept.list;
  }
  const list = await opencodeApi<ProviderList>(source, "/provider", {
    directory,
    timeoutMs: FIRST_BOOT_MS,
  });
  keptLists.delete(key);
  keptLists.set(key, { list, endpoint, keys, at: Date.now() });
  // A few folders' worth: Settings shows one at a time.
  if (keptLists.size > 8) keptLists.delete(keptLists.keys().next().value!);
  return list;
}

const STATE_ORDER: Record<ProviderState, number> = {
  connected: 0,
  free: 1,
  "needs-key": 2,
  "needs-login": 2,
};

/**
 * Every provider OpenCode knows (in `directory`, whose own config may add some; OpenCode's own
 * folder when absent), connected ones first, then by name.
 *
 * @example
 * ```ts
 * for (const provider of await loadProviders(supervisor)) console.log(provider.id, provider.state);
 * ```
 */
export async function loadProviders(
  source: EndpointSource,
  directory?: string,
  { keysFile }: { keysFile?: string } = {},
): Promise<ProviderRow[]> {
  const [list, auth] = await Promise.all([
    providerList(source, directory, keysFile),
    opencodeApi<Record<string, AuthMethod[]>>(source, "/provider/auth", {
      directory,
      timeoutMs: FIRST_BOOT_MS,
    }),
  ]);
  const connected = new Set(list.connected);
  const rows = list.all.map((provider): ProviderRow => {
    const models = Object.values(provider.models);
    const methods = auth[provider.id]?.length
      ? auth[provider.id]
      : [{ type: "api" as const, label: "API key" }];
    const free = models.length > 0 &&
      models.every((model) => !model.cost || (model.cost.input === 0 && model.cost.output === 0));
    const state: ProviderState = connected.has(provider.id)
      ? (free ? "free" : "connected")
      : methods.some((method) => method.type === "api")
      ? "needs-key"
      : "needs-login";
    return {
      id: provider.id,
      name: provider.name,
      state,
      models: models.map((model) => model.name).sort((a, b) => a.localeCompare(b)),
      methods,
    };
  });
  return rows.sort((a, b) =>
    STATE_ORDER[a.state] - STATE_ORDER[b.state] || a.name.localeCompare(b.name)
  );
}

/** A provider that does not exist, an empty key: what the user must fix. */
export class ProviderInputError extends Error {
  override name = "ProviderInputError";
  status: 400 | 404;
  constructor(message: string, status: 400 | 404 = 400) {
    super(message);
    this.status = status;
  }
}

/** The provider's name; throws for an id OpenCode does not know. */
async function knownProvider(source: EndpointSource, providerId: string): Promise<string> {
  const list = await providerList(source, undefined, undefined);
  const provider = list.all.find((entry) => entry.id === providerId);
  if (!provider) throw new ProviderInputError(`There is no provider "${providerId}"`, 404);
  return provider.name;
}

/**
 * Stores an API key for `providerId` in OpenCode (OpenCode accepts any id and any key, so both
 * are checked here first: the key with the provider itself where it can be, {@linkcode
 * checkApiKey}), then reloads every project's providers. A refused key is not saved. Resolves with
 * the check, whose `unchecked` reason the page shows beside `Saved`.
 *
 * @example
 * ```ts
 * await saveApiKey(supervisor, "anthropic", key, { busy: () => 0 });
 * ```
 */
export async function saveApiKey(
  source: EndpointSource,
  providerId: string,
  key: string,
  reload: ReloadOptions,
): Promise<KeyCheck> {
  const trimmed = key.trim();
  if (!trimmed) throw new ProviderInputError("Paste the API key first: the field is empty");
  const name = await knownProvider(source, providerId);
  const check = await checkApiKey(source, providerId, trimmed);
  if (check.verdict === "refused") {
    throw new ProviderInputError(
      `Key refused by ${name}: ${check.message}. It was not saved; check it and paste it again.`,
    );
  }
  await opencodeApi(source, `/auth/${encodeURIComponent(providerId)}`, {
    method: "PUT",
    body: { type: "api", key: trimmed },
  });
  await reloadSoon(source, reload);
  return check;
}

/**
 * Removes the key (or sign-in) OpenCode keeps for `providerId`, then reloads every project's
 * providers. A key that comes from the environment stays: OpenCode still finds it there.
 */
export async function removeCredential(
  source: EndpointSource,
  providerId: string,
  reload: ReloadOptions,
): Promise<void> {
  await knownProvider(source, providerId);
  await opencodeApi(source, `/auth/${encodeURIComponent(providerId)}`, { method: "DELETE" });
  await reloadSoon(source, reload);
}

/**
 * Starts OpenCode's OAuth for `providerId` with its method number `method`, the method's questions
 * answered by `answer` (the form's fields).
 */
export async function startOauth(
  source: EndpointSource,
  providerId: string,
  method: number,
  answer: (key: string) => string = () => "",
): Promise<{ url: string; method: "auto" | "code"; instructions: string }> {
  await knownProvider(source, providerId);
  const methods = await opencodeApi<Record<string, AuthMethod[]>>(source, "/provider/auth", {
    timeoutMs: FIRST_BOOT_MS,
  });
  const chosen = methods[providerId]?.[method];
  if (chosen?.type !== "oauth") {
    throw new ProviderInputError(`${providerId} has no sign-in method ${method}`);
  }
  const inputs = authInputs(chosen, answer);
  return await opencodeApi(source, `/provider/${encodeURIComponent(providerId)}/oauth/authorize`, {
    method: "POST",
    body: Object.keys(inputs).length ? { method, inputs } : { method },
  });
}

/**
 * Finishes OpenCode's OAuth: with the code the provider showed (method `code`), or by waiting for
 * OpenCode's own callback listener (method `auto`, up to five minutes). Then reloads providers.
 */
export async function finishOauth(
  source: EndpointSource,
  providerId: string,
  method: number,
  code: string | undefined,
  reload: ReloadOptions,
): Promise<void> {
  await opencodeApi(source, `/provider/${encodeURIComponent(providerId)}/oauth/callback`, {
    method: "POST",
    body: code ? { method, code: code.trim() } : { method },
    timeoutMs: 300_000,
  });
  await reloadSoon(source, reload);
}

export interface ReloadOptions {
  /** How many sessions are working now (their turns must not be cut short). */
  busy(): number;
  /** Longest wait for them (default 10 minutes). */
  maxWaitMs?: number;
  /** Called once OpenCode has let go of the providers it had (what was cached from it is old). */
  onReloaded?: () => void;
}

let reloading: Promise<void> | undefined;

/** Reloads providers now when no session is working, else leaves it to finish in the background. */
async function reloadSoon(source: EndpointSource, options: ReloadOptions): Promise<void> {
  forgetProviderLists();
  const reload = reloadProviders(source, options);
  if (options.busy() === 0) await reload;
}

/**
 * Makes every project see the providers as they are now. OpenCode's per-folder instances keep the
 * provider list they booted with, so they are disposed (`POST /global/dispose`; each boots again
 * on its next request), once no session is working, so no running turn is cut short. Runs in the
 * background; calls while one waits share it.
 */
export function reloadProviders(source: EndpointSource, options: ReloadOptions): Promise<void> {
  reloading ??= (async () => {
    const deadline = Date.now() + (options.maxWaitMs ?? 600_000);
    while (options.busy() > 0 && Date.now() < deadline) await sleep(1_000);
    try {
      await opencodeApi(source, "/global/dispose", { method: "POST", timeoutMs: 30_000 });
      forgetProviderLists();
      options.onReloaded?.();
    } catch (error) {
      if (!(error instanceof OpencodeApiError)) throw error;
      console.error(`Cannot reload OpenCode's providers: ${error.message}`);
    }
  })().finally(() => reloading = undefined);
  return reloading;
}
