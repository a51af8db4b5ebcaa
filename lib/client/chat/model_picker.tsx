/**
 * The toolbar's `Model`: a searchable picker (an editable combobox with a listbox, ARIA 1.2).
 * Typing any part of a model's or provider's name narrows the list (`two` finds `Mock Two`);
 * models are grouped by provider, the ones recently used in this browser first, each with its
 * context limit and price where OpenCode knows them. Keyboard: type, `ArrowDown`/`ArrowUp`,
 * `Enter` chooses, `Escape` closes (and restores the choice). Closed, the field shows the chosen
 * model's name; `data-value` holds its `providerID/modelID`.
 */

import { useRef, useState } from "preact/hooks";
import type { ModelOption, ProviderOption } from "../../common/toolbar_data.ts";
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
  const [open, setOpen] = useState(false);
  const [query, setQuery] = useState("");
  const [active, setActive] = useState(0);
  const input = useRef<HTMLInputElement>(null);
  const list = useRef<HTMLDivElement>(null);
  const groups = open ? pickerGroups(providers, query, recentModels()) : [];
  const flat = groups.flatMap((group) => group.models);
  const chosen = providers.flatMap((provider) =>
    provider.models.map((model) => ({ key: `${provider.id}/${model.id}`, model }))
  ).find((item) => item.key === value);
  const name = disabled ? placeholder : chosen?.model.name ?? value ?? "";
  const id = "model-picker";
  const show = (index = 0) => {
    setOpen(true);
    setActive(index);
  };
  const close = () => {
    setOpen(false);
    setQuery("");
  };
  const choose = (item: PickerModel | undefined) => {
    if (!item) return;
    rememberModel(item.key);
    onChange(item.key);
    close();
  };
  const move = (by: number) => {
    const next = Math.max(0, Math.min(flat.length - 1, active + by));
    setActive(next);
    list.current?.querySelector(`#${id}-${next}`)?.scrollIntoView({ block: "nearest" });
  };
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === "ArrowDown") {
      event.preventDefault();
      if (!open) show();
      else move(1);
    } else if (event.key === "ArrowUp") {
      event.preventDefault();
      if (open) move(-1);
    } else if (event.key === "Enter") {
      event.preventDefault();
      if (open) choose(flat[active]);
      else show();
    } else if (event.key === "Escape" && open) {
      event.preventDefault();
      event.stopPropagation();
      close();
    } else if (event.key === "Tab" && open) close();
  };
  let index = -1;
  return (
    <span class="model-picker">
      <input
        ref={input}
        type="text"
        role="combobox"
        aria-label="Model"
        aria-autocomplete="list"
        aria-expanded={open}
        aria-controls={`${id}-list`}
        aria-activedescendant={open && flat.length ? `${id}-${active}` : undefined}
        autocomplete="off"
        spellcheck={false}
        class="model-input"
        data-value={value}
        disabled={disabled}
        title={chosen ? modelFacts(chosen.model) || undefined : undefined}
        value={open ? query : name}
        placeholder={open ? name : undefined}
        onInput={(event) => {
          setQuery(event.currentTarget.value);
          show();
        }}
        onClick={() => !open && show()}
        onKeyDown={onKeyDown}
        onBlur={close}
      />
      <div
        ref={list}
        id={`${id}-list`}
        class="model-list"
        role="listbox"
        aria-label="Models"
        hidden={!open}
        // A click on an option must not blur the field first.
        onMouseDown={(event) => event.preventDefault()}
      >
        {open && flat.length === 0 && <p class="model-none">No model matches "{query}"</p>}
        {groups.map((group) => (
          <div key={group.label} role="group" aria-label={group.label} class="model-group">
            <div class="model-group-label" aria-hidden="true">{group.label}</div>
            {group.models.map((item) => {
              index++;
              const at = index;
              const facts = modelFacts(item.model);
              return (
                <div
                  key={item.key}
                  id={`${id}-${at}`}
                  role="option"
                  class="model-option"
                  aria-selected={at === active}
                  data-current={item.key === value || undefined}
                  onMouseMove={() => at !== active && setActive(at)}
                  onClick={() =>
                    choose(item)}
                >
                  <span class="model-name">{item.model.name}</span>
                  {group.label === "Recent" && <span class="model-provider">{item.provider}</span>}
                  {facts && <span class="model-facts">{facts}</span>}
                </div>
              );
            })}
          </div>
        ))}
      </div>
    </span>
  );
}
