/**
 * The chat toolbar, for any project at once (the one server is always there): the primary agents
 * (`app.agents`), the models grouped by provider with the configured default (`config.providers`,
 * `config.get`), the chosen model's variants (disabled when it has none), and the VCS branch
 * (`vcs.get`, then `vcs.branch.updated` events). Choices are remembered per project and apply to
 * the next prompt.
 */

import { useEffect, useState } from "preact/hooks";
import { getProjectClient } from "../../store/clients.ts";
import { vcsBranches } from "../../store/store.ts";
import { IS_BROWSER } from "../is_browser.ts";

export interface ToolbarChoice {
  agent?: string;
  /** `providerID/modelID`. */
  model?: string;
  variant?: string;
}

interface ModelOption {
  id: string;
  name: string;
  variants: string[];
}

interface ProviderOption {
  id: string;
  name: string;
  models: ModelOption[];
}

interface ToolbarData {
  agents: string[];
  providers: ProviderOption[];
  defaultModel?: string;
  branch?: string;
}

const storageKey = (directory: string) => `palot:toolbar:${directory}`;

/** The remembered choice for a project. */
export function loadChoice(directory: string): ToolbarChoice {
  if (!IS_BROWSER) return {};
  try {
    return JSON.parse(localStorage.getItem(storageKey(directory)) ?? "{}");
  } catch {
    return {};
  }
}

function saveChoice(directory: string, choice: ToolbarChoice): void {
  try {
    localStorage.setItem(storageKey(directory), JSON.stringify(choice));
  } catch { /* storage full or disabled: the choice still applies to this page */ }
}

async function loadData(directory: string): Promise<ToolbarData> {
  const client = getProjectClient(directory);
  const [agents, providers, config, vcs] = await Promise.all([
    client.app.agents({}, { throwOnError: true }),
    client.config.providers({}, { throwOnError: true }),
    client.config.get({}, { throwOnError: true }),
    client.vcs.get({}).catch(() => undefined),
  ]);
  const providerList = providers.data.providers.map((provider) => ({
    id: provider.id,
    name: provider.name,
    models: Object.values(provider.models).map((model) => ({
      id: model.id,
      name: model.name,
      variants: Object.keys(model.variants ?? {}),
    })).sort((a, b) => a.name.localeCompare(b.name)),
  })).filter((provider) => provider.models.length > 0);
  const configured = config.data.model;
  const fallback = Object.entries(providers.data.default ?? {})[0];
  return {
    agents: agents.data
      .filter((agent) => agent.mode !== "subagent" && !(agent as { hidden?: boolean }).hidden)
      .map((agent) => agent.name),
    providers: providerList,
    defaultModel: configured ?? (fallback ? `${fallback[0]}/${fallback[1]}` : undefined),
    branch: vcs?.data?.branch,
  };
}

/**
 * The toolbar's state for `directory`: what can be chosen, and the current choice.
 *
 * @example
 * ```tsx
 * const toolbar = useToolbar(directory);
 * <Toolbar {...toolbar} />
 * ```
 */
export function useToolbar(directory: string) {
  const [data, setData] = useState<ToolbarData | undefined>(undefined);
  const [error, setError] = useState("");
  const [choice, setChoiceState] = useState<ToolbarChoice>({});
  useEffect(() => {
    let cancelled = false;
    setChoiceState(loadChoice(directory));
    loadData(directory).then((loaded) => !cancelled && setData(loaded)).catch((reason) => {
      if (!cancelled) {
        setError(`Cannot load agents and models: ${(reason as Error)?.message ?? reason}`);
      }
    });
    return () => {
      cancelled = true;
    };
  }, [directory]);
  const setChoice = (next: ToolbarChoice) => {
    setChoiceState(next);
    saveChoice(directory, next);
  };
  const agent = data?.agents.includes(choice.agent ?? "") ? choice.agent : data?.agents[0];
  const models =
    data?.providers.flatMap((provider) =>
      provider.models.map((model) => ({ key: `${provider.id}/${model.id}`, model }))
    ) ?? [];
  const model = models.find((entry) => entry.key === choice.model)?.key ?? data?.defaultModel;
  const variants = models.find((entry) => entry.key === model)?.model.variants ?? [];
  const variant = variants.includes(choice.variant ?? "") ? choice.variant : undefined;
  return { directory, data, error, agent, model, variants, variant, setChoice };
}

export type ToolbarState = ReturnType<typeof useToolbar>;

/** What the next prompt is sent with. */
export function promptOptions(state: ToolbarState) {
  const [providerID, ...rest] = (state.model ?? "").split("/");
  return {
    agent: state.agent,
    model: providerID && rest.length ? { providerID, modelID: rest.join("/") } : undefined,
    variant: state.variant,
  };
}

export function Toolbar(state: ToolbarState) {
  const { data, error, agent, model, variants, variant, setChoice, directory } = state;
  const loading = !data;
  const branch = (IS_BROWSER ? vcsBranches.value[directory] : undefined) ?? data?.branch;
  const choose = (patch: Partial<{ agent: string; model: string; variant: string }>) =>
    setChoice({ agent, model, variant, ...patch });
  return (
    <div class="toolbar" role="toolbar" aria-label="Prompt settings">
      <label>
        <span>Agent</span>
        <select
          aria-label="Agent"
          disabled={loading}
          value={agent}
          onChange={(event) => choose({ agent: event.currentTarget.value })}
        >
          {loading
            ? <option>Loading…</option>
            : data.agents.map((name) => <option key={name} value={name}>{name}</option>)}
        </select>
      </label>
      <label>
        <span>Model</span>
        <select
          aria-label="Model"
          disabled={loading}
          value={model}
          onChange={(event) => choose({ model: event.currentTarget.value, variant: undefined })}
        >
          {loading
            ? <option>Loading…</option>
            : data.providers.map((provider) => (
              <optgroup key={provider.id} label={provider.name}>
                {provider.models.map((entry) => (
                  <option key={entry.id} value={`${provider.id}/${entry.id}`}>{entry.name}</option>
                ))}
              </optgroup>
            ))}
        </select>
      </label>
      <label>
        <span>Variant</span>
        <select
          aria-label="Variant"
          disabled={loading || variants.length === 0}
          value={variant ?? ""}
          onChange={(event) => choose({ variant: event.currentTarget.value || undefined })}
        >
          <option value="">Default</option>
          {variants.map((name) => <option key={name} value={name}>{name}</option>)}
        </select>
      </label>
      <span class="branch" role="group" aria-label="Branch">
        <span class="branch-label">Branch</span>{" "}
        <span class="branch-name">{branch ?? (loading ? "…" : "none")}</span>
      </span>
      {error && <p class="toolbar-error" role="alert">{error}</p>}
    </div>
  );
}
