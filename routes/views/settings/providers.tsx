/**
 * The Providers section of Settings: every provider OpenCode knows, its state and models, a
 * password field `API key` with `Save` for those that take a key, and OpenCode's own sign-in for
 * OAuth providers (every method OpenCode lists, with the questions it asks first). Plain forms: it
 * works without JavaScript.
 */

import type { ProviderRow, ProviderState } from "../../../lib/server/settings/providers.ts";
import { ProviderFilter } from "../../../islands/mod.ts";

/** What the last action on one provider said. */
export interface ProviderNotice {
  provider: string;
  error?: string;
  saved?: boolean;
  /** Why a saved key could not be checked with its provider. */
  unchecked?: string;
  removed?: boolean;
  /** Agents were at work: OpenCode applies the change once they finish (its reload waits). */
  pending?: boolean;
}

/** An OAuth sign-in under way: where to go, and how it finishes. */
export interface PendingOauth {
  provider: string;
  method: number;
  url: string;
  kind: "auto" | "code";
  instructions: string;
}

export interface ProvidersSectionProps {
  providers?: ProviderRow[];
  /** Why the list could not be read (OpenCode starting, not answering). */
  loadError?: string;
  notice?: ProviderNotice;
  oauth?: PendingOauth;
}

const STATE_LABEL: Record<ProviderState, string> = {
  connected: "Connected",
  free: "Free",
  "needs-key": "Needs a key",
  "needs-login": "Needs sign-in",
};

/**
 * A provider form's address. Its fragment stays with the page the POST answers, so a message
 * beside the field is where the user is looking, not at the top of a reloaded page.
 */
const action = (id: string, path: string) =>
  `/settings/providers/${encodeURIComponent(id)}/${path}#provider-${id}`;

type AuthPrompt = NonNullable<ProviderRow["methods"][number]["prompts"]>[number];

/**
 * One question a sign-in method asks before it starts (GitHub Copilot: which deployment, then its
 * Enterprise address only when Enterprise is chosen; the page works without JavaScript, so every
 * question is shown, with when it applies).
 */
function AuthQuestion({ prompt, others }: { prompt: AuthPrompt; others: AuthPrompt[] }) {
  const name = `input:${prompt.key}`;
  const when = prompt.when;
  const asked = when && others.find((other) => other.key === when.key);
  const value = asked?.type === "select"
    ? asked.options.find((option) => option.value === when?.value)?.label
    : when?.value;
  return (
    <label>
      {prompt.message}
      {when && (
        <span class="muted">
          {` (${when.op === "eq" ? "only" : "not"} for ${value ?? when.value})`}
        </span>
      )}
      {prompt.type === "select"
        ? (
          <select name={name}>
            {prompt.options.map((option) => (
              <option key={option.value} value={option.value}>
                {option.label}
                {option.hint ? ` (${option.hint})` : ""}
              </option>
            ))}
          </select>
        )
        : <input type="text" name={name} placeholder={prompt.placeholder} autocomplete="off" />}
    </label>
  );
}

function OauthPending({ oauth }: { oauth: PendingOauth }) {
  return (
    <form class="settings-form" method="post" action={action(oauth.provider, "oauth/callback")}>
      <p>
        <a href={oauth.url} target="_blank" rel="noopener noreferrer">Open the sign-in page</a>
        {oauth.instructions && ` · ${oauth.instructions}`}
      </p>
      <input type="hidden" name="method" value={oauth.method} />
      {oauth.kind === "code" && (
        <label>
          Authorization code
          <input name="code" autocomplete="off" required />
        </label>
      )}
      <button type="submit" class="button primary">Finish sign-in</button>
    </form>
  );
}

function Provider(
  { provider, notice, oauth }: {
    provider: ProviderRow;
    notice?: ProviderNotice;
    oauth?: PendingOauth;
  },
) {
  const fieldId = `key-${provider.id}`;
  const errorId = `key-error-${provider.id}`;
  const takesKey = provider.methods.some((method) => method.type === "api");
  const oauthMethods = provider.methods
    .map((method, index) => ({ ...method, index }))
    .filter((method) => method.type === "oauth");
  return (
    <details
      id={`provider-${provider.id}`}
      class="provider"
      data-provider-name={`${provider.name} ${provider.id}`.toLowerCase()}
      open={Boolean(notice || oauth)}
    >
      <summary class="provider-head">
        <strong>{provider.name}</strong>
        <span class={`provider-state ${provider.state}`}>{STATE_LABEL[provider.state]}</span>
      </summary>
      <p class="provider-models">
        {provider.models.length === 0 ? "No models" : `Models: ${provider.models.join(", ")}`}
      </p>
      {takesKey && (
        <form class="settings-form" method="post" action={action(provider.id, "key")}>
          <label for={fieldId}>API key</label>
          <input
            id={fieldId}
            name="key"
            type="password"
            autocomplete="off"
            aria-invalid={notice?.error ? true : undefined}
            aria-describedby={notice?.error ? errorId : undefined}
          />
          <button type="submit" class="button primary">Save</button>
        </form>
      )}
      {provider.state === "connected" && (
        <form class="settings-form" method="post" action={action(provider.id, "key/remove")}>
          <button type="submit" class="button danger">Remove key</button>
        </form>
      )}
      {notice?.error && <p id={errorId} class="field-error" role="alert">{notice.error}</p>}
      {notice?.removed && (
        <p class="field-ok" role="status">
          Removed from OpenCode.{notice.pending
            ? " Agents at work keep using it until they finish; then OpenCode lets go of it."
            : provider.state === "connected"
            ? " It is still connected: OpenCode finds a key in its environment or config."
            : ""}
        </p>
      )}
      {notice?.saved && (
        <p class="field-ok" role="status">
          Saved in OpenCode. {notice.pending
            ? `Every project offers ${provider.name}'s models once no agent is working.`
            : `Every project now offers ${provider.name}'s models.`}
          {notice.unchecked && ` The key could not be checked now: ${notice.unchecked}.`}
        </p>
      )}
      {oauthMethods.map((method) => (
        <form
          key={method.index}
          class="settings-form"
          method="post"
          action={action(provider.id, "oauth")}
        >
          <input type="hidden" name="method" value={method.index} />
          {method.prompts?.map((prompt) => (
            <AuthQuestion key={prompt.key} prompt={prompt} others={method.prompts ?? []} />
          ))}
          <button type="submit" class="button">Sign in: {method.label}</button>
        </form>
      ))}
      {oauth && <OauthPending oauth={oauth} />}
      {oauthMethods.length > 0 && (
        <p class="muted">
          Or in a terminal: <code>opencode auth login</code>, then choose {provider.name}.
        </p>
      )}
    </details>
  );
}

/** The providers most people look for, in this order, listed first. */
const POPULAR = [
  "anthropic",
  "openai",
  "google",
  "github-copilot",
  "openrouter",
  "opencode",
  "xai",
  "deepseek",
  "mistral",
  "groq",
  "amazon-bedrock",
  "azure",
];

/** `Popular` (those of {@linkcode POPULAR} OpenCode knows, in that order), then the others. */
export function providerGroups(providers: ProviderRow[]): { title: string; rows: ProviderRow[] }[] {
  const popular = POPULAR.flatMap((id) => providers.filter((provider) => provider.id === id));
  const others = providers.filter((provider) => !POPULAR.includes(provider.id));
  return [
    { title: "Popular", rows: popular },
    { title: popular.length ? "All other providers" : "All providers", rows: others },
  ].filter((group) => group.rows.length > 0);
}

export function ProvidersSection({ providers, loadError, notice, oauth }: ProvidersSectionProps) {
  // A notice about a provider that is not listed (an unknown id) has no field to stand beside.
  const unlisted = notice?.error && !providers?.some((provider) => provider.id === notice.provider);
  return (
    <section class="settings-section" aria-labelledby="providers-heading">
      <h2 id="providers-heading">Providers</h2>
      <p class="muted">
        Keys are stored by OpenCode (in its own auth file), never by Palot, and are not shown again.
      </p>
      {loadError && <p class="field-error" role="alert">{loadError}</p>}
      {unlisted && <p class="field-error" role="alert">{notice.error}</p>}
      {providers && providers.length > 0 && <ProviderFilter />}
      {providerGroups(providers ?? []).map(({ title, rows }) => (
        <div class="provider-group" data-provider-group key={title}>
          <h3>{title}</h3>
          {rows.map((provider) => (
            <Provider
              key={provider.id}
              provider={provider}
              notice={notice?.provider === provider.id ? notice : undefined}
              oauth={oauth?.provider === provider.id ? oauth : undefined}
            />
          ))}
        </div>
      ))}
    </section>
  );
}
