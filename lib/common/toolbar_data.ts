/**
 * What the chat toolbar offers for one project, built from OpenCode's answers to `app.agents`,
 * `config.providers`, `config.get` and `vcs.get`. Pure, so the browser (loading it through the
 * proxy) and the server (caching it to render into the page) build the same thing.
 */

export interface ModelOption {
  id: string;
  name: string;
  variants: string[];
  /** The context window in tokens, where OpenCode knows it. */
  context?: number;
  /** Dollars per million input and output tokens, where OpenCode knows them (and they are not 0). */
  cost?: { input: number; output: number };
}

export interface ProviderOption {
  id: string;
  name: string;
  models: ModelOption[];
}

export interface ToolbarData {
  agents: string[];
  /** Each agent's description, where it has one. */
  agentDescriptions?: Record<string, string>;
  providers: ProviderOption[];
  /** `providerID/modelID`: the configured model, else the first provider's default. */
  defaultModel?: string;
  branch?: string;
}

/** What a chat page knows about its toolbar when the server renders it. */
export interface ToolbarSnapshot {
  data?: ToolbarData;
  /** The project's folder was not found on disk at the last refresh. */
  missing?: boolean;
  /**
   * `data` are the options of folders without OpenCode config of their own, not yet this one's
   * (OpenCode has not loaded it since it was last disposed): shown, and replaced once loaded.
   */
  provisional?: boolean;
}

/** OpenCode's answers, as much of them as the toolbar reads. */
export interface ToolbarSources {
  agents: { name: string; mode?: string; hidden?: boolean; description?: string }[];
  providers: {
    providers: {
      id: string;
      name: string;
      models: Record<string, {
        id: string;
        name: string;
        variants?: Record<string, unknown>;
        limit?: { context?: number };
        cost?: { input?: number; output?: number };
      }>;
    }[];
    default?: Record<string, string>;
  };
  config: { model?: string };
  vcs?: { branch?: string };
}

/**
 * The toolbar's options: primary, visible agents; providers with models sorted by name.
 *
 * @example
 * ```ts
 * const data = toolbarData({ agents, providers, config, vcs });
 * data.defaultModel; // "mock/mock-1"
 * ```
 */
export function toolbarData({ agents, providers, config, vcs }: ToolbarSources): ToolbarData {
  const fallback = Object.entries(providers.default ?? {})[0];
  const primary = agents.filter((agent) => agent.mode !== "subagent" && !agent.hidden);
  return {
    agents: primary.map((agent) => agent.name),
    agentDescriptions: Object.fromEntries(
      primary.filter((agent) => agent.description).map((agent) => [agent.name, agent.description!]),
    ),
    providers: providers.providers.map((provider) => ({
      id: provider.id,
      name: provider.name,
      models: Object.values(provider.models).map((model) => ({
        id: model.id,
        name: model.name,
        variants: Object.keys(model.variants ?? {}),
        ...(model.limit?.context ? { context: model.limit.context } : {}),
        ...(model.cost && (model.cost.input || model.cost.output)
          ? { cost: { input: model.cost.input ?? 0, output: model.cost.output ?? 0 } }
          : {}),
      })).sort((a, b) => a.name.localeCompare(b.name)),
    })).filter((provider) => provider.models.length > 0),
    defaultModel: config.model ?? (fallback ? `${fallback[0]}/${fallback[1]}` : undefined),
    branch: vcs?.branch,
  };
}

/** OpenCode's own provider (OpenCode Zen), which offers free models without a key. */
export const OPENCODE_ZEN = "opencode";

/**
 * No provider of the user's own: nothing, or only OpenCode Zen's free models, which need the
 * internet and may be unavailable. A new user is told to connect one before the first Send.
 *
 * @example
 * ```ts
 * needsProvider({ providers: [{ id: "opencode" }] }); // true
 * ```
 */
export function needsProvider(data: { providers: { id: string }[] }): boolean {
  return data.providers.every((provider) => provider.id === OPENCODE_ZEN);
}
