/**
 * The chat toolbar, for any project at once (the one server is always there): the primary agents
 * (`app.agents`), the models grouped by provider with the configured default (`config.providers`,
 * `config.get`), the chosen model's variants (disabled when it has none), and the VCS branch
 * (`vcs.get`, then `vcs.branch.updated` events). Choices are remembered per project and apply to
 * the next prompt. The options come rendered in the page when the server knows them; otherwise,
 * or when they are only the provisional ones of folders without config of their own, the tab asks
 * Palot for them (`/api/toolbar`, which joins the load the page's visit started),
 * says `Waiting for OpenCode…` while OpenCode does not answer, and tries again until it does (and
 * once more when OpenCode is back after a restart). While shown, it tells Palot its project is on
 * screen, so the project's OpenCode instance is kept.
 */

import { effect } from "@preact/signals";
import { useEffect, useState } from "preact/hooks";
import { showDirectories } from "../live/presence.ts";
import { server, vcsBranches } from "../live/store.ts";
import { IS_BROWSER } from "../ui/is_browser.ts";
import type { ToolbarData, ToolbarSnapshot } from "../../common/toolbar_data.ts";
import { palotApi } from "../live/page_server.ts";
import { AgentPicker } from "./agent_picker.tsx";
import { ModelPicker } from "./model_picker.tsx";

export interface ToolbarChoice {
  agent?: string;
  /** `providerID/modelID`. */
  model?: string;
  variant?: string;
}

/** Retries while OpenCode is not answering: soon at first, then every 10 s at most. */
const RETRY_FIRST_MS = 1_000;
const RETRY_MAX_MS = 10_000;

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

/** The tab's answer from `/api/toolbar` that means "not there yet": try again. */
class Unavailable extends Error {}

/**
 * Reads the options from Palot, which joins the load the page's visit started (one set of
 * questions to OpenCode for a cold project, not one from the server and one from the tab).
 */
async function loadData(directory: string): Promise<ToolbarSnapshot> {
  let response: Response;
  try {
    response = await fetch(
      `${palotApi("/api/toolbar")}?directory=${encodeURIComponent(directory)}`,
    );
  } catch {
    throw new Unavailable("Palot is not answering");
  }
  const body = await response.json().catch(() => ({}));
  if (response.status === 503) throw new Unavailable(body.error);
  if (!response.ok) throw new Error(body.error ?? `Palot answered ${response.status}`);
  return body as ToolbarSnapshot;
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
export function useToolbar(directory: string, initial: ToolbarSnapshot = {}) {
  const [data, setData] = useState<ToolbarData | undefined>(initial.data);
  const [error, setError] = useState("");
  const [waiting, setWaiting] = useState(false);
  const [missing, setMissing] = useState(Boolean(initial.missing));
  const [provisional, setProvisional] = useState(Boolean(initial.provisional));
  const [choice, setChoiceState] = useState<ToolbarChoice>({});
  useEffect(() => {
    let cancelled = false;
    let loading = false;
    let loaded = Boolean(initial.data) && !initial.provisional;
    let retry: ReturnType<typeof setTimeout> | undefined;
    let delay = RETRY_FIRST_MS;
    setChoiceState(loadChoice(directory));
    const load = async () => {
      clearTimeout(retry);
      if (loading) return;
      loading = true;
      try {
        const next = await loadData(directory);
        if (cancelled) return;
        loaded = true;
        if (next.data) setData(next.data);
        setProvisional(false);
        setMissing(Boolean(next.missing));
        setError("");
        setWaiting(false);
        delay = RETRY_FIRST_MS;
      } catch (reason) {
        if (cancelled) return;
        if (reason instanceof Unavailable) {
          // Not there yet (starting or restarting): say so, and try again until it answers.
          setWaiting(true);
          retry = setTimeout(load, delay);
          delay = Math.min(delay * 2, RETRY_MAX_MS);
        } else setError(`Cannot load agents and models: ${(reason as Error)?.message ?? reason}`);
      } finally {
        loading = false;
      }
    };
    // This folder's own options rendered into the page are current (the server refreshes them on
    // every visit); provisional ones are replaced by its own once loaded.
    if (!loaded) load();
    // OpenCode answering at last, or back after a restart: load (again) at once.
    let connected = server.peek().connected;
    let wasConnected = connected;
    const stopWatching = effect(() => {
      const now = server.value.connected;
      if (now && !connected && (wasConnected || !loaded)) load();
      wasConnected ||= now;
      connected = now;
    });
    const hide = showDirectories([directory]);
    return () => {
      cancelled = true;
      clearTimeout(retry);
      stopWatching();
      hide();
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
  return {
    directory,
    data,
    error,
    waiting,
    missing,
    provisional,
    agent,
    model,
    variants,
    variant,
    setChoice,
  };
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
  const { data, error, waiting, missing, provisional, directory } = state;
  const { agent, model, variants, variant, setChoice } = state;
  const loading = !data;
  // Until the tab has asked, "Loading…"; while OpenCode does not answer, say that instead.
  const placeholder = waiting ? "Waiting for OpenCode…" : "Loading…";
  const branch = (IS_BROWSER ? vcsBranches.value[directory] : undefined) ?? data?.branch;
  const choose = (patch: Partial<{ agent: string; model: string; variant: string }>) =>
    setChoice({ agent, model, variant, ...patch });
  return (
    <div
      class="toolbar"
      role="toolbar"
      aria-label="Prompt settings"
      data-provisional={provisional || undefined}
    >
      {/* Not <label>s: a click in their lists would also click the field, opening it again. */}
      <span class="toolbar-picker">
        <span>Agent</span>
        <AgentPicker
          agents={data?.agents ?? []}
          descriptions={data?.agentDescriptions}
          value={agent}
          disabled={loading}
          placeholder={placeholder}
          onChange={(name) => choose({ agent: name })}
        />
      </span>
      <span class="toolbar-picker">
        <span>Model</span>
        <ModelPicker
          providers={data?.providers ?? []}
          value={model}
          disabled={loading}
          placeholder={placeholder}
          onChange={(key) => choose({ model: key, variant: undefined })}
        />
      </span>
      {variants.length > 0 && (
        <label>
          <span>Variant</span>
          <select
            aria-label="Variant"
            disabled={loading}
            value={variant ?? ""}
            onChange={(event) => choose({ variant: event.currentTarget.value || undefined })}
          >
            <option value="">Default</option>
            {variants.map((name) => <option key={name} value={name}>{name}</option>)}
          </select>
        </label>
      )}
      <span class="branch" role="group" aria-label="Branch">
        <span class="branch-label">Branch</span>{" "}
        <span class="branch-name">{branch ?? (loading || provisional ? "…" : "none")}</span>
      </span>
      {waiting && loading && <p class="toolbar-waiting" role="status">Waiting for OpenCode…</p>}
      {missing && (
        <p class="toolbar-error" role="alert">
          The folder "{directory}" no longer exists on disk: restore it, or its sessions cannot run.
        </p>
      )}
      {error && <p class="toolbar-error" role="alert">{error}</p>}
    </div>
  );
}
