/**
 * The toolbar's `Model`: a searchable picker (the shared `Combobox`, `lib/client/ui/combobox.tsx`).
 * Typing any part of a model's or provider's name narrows the list (`two` finds `Mock Two`);
 * models are grouped by provider, the ones recently used in this browser first, each with its
 * context limit and price where OpenCode knows them. Closed, the field shows the chosen model's
 * name; `data-value` holds its `providerID/modelID`.
 */

import type { ModelOption, ProviderOption } from "../../common/toolbar_data.ts";
import { Combobox } from "../ui/combobox.tsx";
import { IS_BROWSER } from "../ui/is_browser.ts";

const RECENT_KEY = "palot:recent-models";
const RECENT_MAX = 5;

/** The models chosen lately in this browser, newest first (`providerID/modelID`). */
function recentModels(): string[] {
  if (!IS_BROWSER) return [];
  try {
    const list = JSON.parse(localStorage.getItem(RECENT_KEY) ?? "[]");
    return Array.isArray(list) ? list.filter((item) => typeof item === "string") : [];
  } catch {
    return [];
  }
}

function rememberModel(key: string): void {
  try {
    const next = [key, ...recentModels().filter((item) => item !== key)].slice(0, RECENT_MAX);
    localStorage.setItem(RECENT_KEY, JSON.stringify(next));
  } catch { /* storage disabled: nothing remembered */ }
}

/** A model as the picker lists it. */
export interface PickerModel {
  key: string;
  provider: string;
  model: ModelOption;
}

/** One group of the list: `Recent`, then each provider. */
export interface PickerGroup {
  label: string;
  models: PickerModel[];
}

/**
 * The groups for `query` (case-insensitive, any part of the model's name, its id or its
 * provider's name); with no query, the recently used first.
 *
 * @example
 * ```ts
 * pickerGroups(providers, "two", []); // [{ label: "Mock", models: [Mock Two] }]
 * ```
 */
export function pickerGroups(
  providers: ProviderOption[],
  query: string,
  recent: string[],
): PickerGroup[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  const matches = (provider: ProviderOption, model: ModelOption) => {
    const text = `${model.name} ${model.id} ${provider.name}`.toLowerCase();
    return words.every((word) => text.includes(word));
  };
  const all = providers.flatMap((provider) =>
    provider.models.filter((model) => matches(provider, model)).map((model) => ({
      key: `${provider.id}/${model.id}`,
      provider: provider.name,
      model,
    }))
  );
  // While searching, the matches are listed by provider only.
  const recentOnes = (words.length ? [] : recent).map((key) => all.find((item) => item.key === key))
    .filter((item): item is PickerModel => Boolean(item));
  const groups: PickerGroup[] = recentOnes.length ? [{ label: "Recent", models: recentOnes }] : [];
  for (const provider of providers) {
    const models = all.filter((item) =>
      item.provider === provider.name && item.key.startsWith(`${provider.id}/`) &&
      !recentOnes.includes(item)
    );
    if (models.length) groups.push({ label: provider.name, models });
  }
  return groups;
}

/** "128K context · $3 / $15 per M tokens", as much as OpenCode knows. */
export function modelFacts(model: ModelOption): string {
  const facts: string[] = [];
  if (model.context) {
    facts.push(
      model.context >= 1_000_000
        ? `${+(model.context / 1_000_000).toFixed(1)}M context`
        : `${Math.round(model.context / 1000)}K context`,
    );
  }
  if (model.cost) {
    facts.push(`$${+model.cost.input.toFixed(2)} / $${+model.cost.output.toFixed(2)} per M`);
  }
  return facts.join(" · ");
}

export function ModelPicker(
  { providers, value, disabled, placeholder, onChange }: {
    providers: ProviderOption[];
    /** The chosen model, `providerID/modelID`. */
    value?: string;
    disabled?: boolean;
    /** Shown while there is nothing to choose from. */
    placeholder: string;
    onChange: (key: string) => void;
  },
) {
  const chosen = providers.flatMap((provider) =>
    provider.models.map((model) => ({ key: `${provider.id}/${model.id}`, model }))
  ).find((item) => item.key === value);
  return (
    <Combobox<PickerModel>
      id="model-picker"
      label="Model"
      listLabel="Models"
      noun="model"
      inputClass="model-input"
      value={value}
      name={disabled ? placeholder : chosen?.model.name ?? value ?? ""}
      title={chosen ? modelFacts(chosen.model) || undefined : undefined}
      disabled={disabled}
      groups={(query) =>
        pickerGroups(providers, query, recentModels()).map((group) => ({
          label: group.label,
          items: group.models,
        }))}
      itemKey={(item) => item.key}
      isCurrent={(item) => item.key === value}
      onChoose={(item) => {
        rememberModel(item.key);
        onChange(item.key);
      }}
      renderItem={(item, group) => {
        const facts = modelFacts(item.model);
        return (
          <>
            <span class="combo-name model-name">{item.model.name}</span>
            {group.label === "Recent" && <span class="combo-note">{item.provider}</span>}
            {facts && <span class="combo-facts">{facts}</span>}
          </>
        );
      }}
    />
  );
}
