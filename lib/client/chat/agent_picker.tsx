/**
 * The toolbar's `Agent`: a searchable picker (the shared `Combobox`, `lib/client/ui/combobox.tsx`)
 * listing the primary agents, each with its description. Typing any part of an agent's name or
 * description narrows the list. Closed, the field shows the chosen agent (its description as the
 * field's title); `data-value` holds its name.
 */

import { Combobox } from "../ui/combobox.tsx";

/**
 * The agents matching `query` (case-insensitive, every word in the name or the description).
 *
 * @example
 * ```ts
 * matchingAgents(["build", "plan"], { plan: "Plans only" }, "only"); // ["plan"]
 * ```
 */
export function matchingAgents(
  agents: string[],
  descriptions: Record<string, string> | undefined,
  query: string,
): string[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  return agents.filter((name) => {
    const text = `${name} ${descriptions?.[name] ?? ""}`.toLowerCase();
    return words.every((word) => text.includes(word));
  });
}

export function AgentPicker(
  { agents, descriptions, value, disabled, placeholder, onChange }: {
    agents: string[];
    descriptions?: Record<string, string>;
    value?: string;
    disabled?: boolean;
    /** Shown while there is nothing to choose from. */
    placeholder: string;
    onChange: (name: string) => void;
  },
) {
  return (
    <Combobox<string>
      id="agent-picker"
      label="Agent"
      listLabel="Agents"
      noun="agent"
      inputClass="agent-input"
      value={disabled ? undefined : value}
      name={disabled ? placeholder : value ?? ""}
      title={value ? descriptions?.[value] : undefined}
      disabled={disabled}
      groups={(query) => [{ label: "", items: matchingAgents(agents, descriptions, query) }]}
      itemKey={(name) => name}
      isCurrent={(name) => name === value}
      onChoose={onChange}
      renderItem={(name) => (
        <>
          <span class="combo-name agent-name">{name}</span>
          {descriptions?.[name] && <span class="combo-description">{descriptions[name]}</span>}
        </>
      )}
    />
  );
}
