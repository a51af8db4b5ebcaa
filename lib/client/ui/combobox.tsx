/**
 * A searchable picker: an editable combobox with a listbox (ARIA 1.2), shared by the toolbar's
 * `Model` and `Agent`. Typing narrows the list (the caller's `groups` decides what matches),
 * `ArrowDown`/`ArrowUp` move, `Enter` chooses, `Escape` closes and restores the choice, `Tab`
 * closes. Closed, the field shows the chosen item's name (rendered on the server too, so the first
 * paint shows it); `data-value` holds the chosen value.
 */

import type { ComponentChildren } from "preact";
import { useRef, useState } from "preact/hooks";
import { revealInList } from "./reveal_in_list.ts";

/** One group of the list (`label` empty: no heading). */
export interface ComboGroup<T> {
  label: string;
  items: T[];
}

export function Combobox<T>(
  {
    id,
    label,
    listLabel,
    noun,
    value,
    name,
    title,
    disabled,
    inputClass,
    groups,
    itemKey,
    renderItem,
    isCurrent,
    onChoose,
  }: {
    /** Unique on the page: the list's and options' ids derive from it. */
    id: string;
    /** The field's accessible name (`Model`, `Agent`). */
    label: string;
    /** The listbox's accessible name (`Models`, `Agents`). */
    listLabel: string;
    /** What an item is called, for "No model matches …". */
    noun: string;
    /** The chosen value (`data-value`). */
    value?: string;
    /** What the closed field shows. */
    name: string;
    title?: string;
    disabled?: boolean;
    inputClass?: string;
    /** The groups to list for `query` (only asked while open). */
    groups: (query: string) => ComboGroup<T>[];
    itemKey: (item: T) => string;
    renderItem: (item: T, group: ComboGroup<T>) => ComponentChildren;
    isCurrent: (item: T) => boolean;
    onChoose: (item: T) => void;
  },
) {
  const [open, setOpen] = useState(false);
  const [query, setQuery] = useState("");
  const [active, setActive] = useState(0);
  const list = useRef<HTMLDivElement>(null);
  const shown = open ? groups(query) : [];
  const flat = shown.flatMap((group) => group.items);
  const show = (index = 0) => {
    setOpen(true);
    setActive(index);
  };
  const close = () => {
    setOpen(false);
    setQuery("");
  };
  const choose = (item: T | undefined) => {
    if (item === undefined) return;
    onChoose(item);
    close();
  };
  const move = (by: number) => {
    const next = Math.max(0, Math.min(flat.length - 1, active + by));
    setActive(next);
    // Scrolls the list only (never the page behind it).
    revealInList(list.current, list.current?.querySelector<HTMLElement>(`#${id}-${next}`) ?? null);
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
    <span class="combo">
      <input
        type="text"
        role="combobox"
        aria-label={label}
        aria-autocomplete="list"
        aria-expanded={open}
        aria-controls={`${id}-list`}
        aria-activedescendant={open && flat.length ? `${id}-${active}` : undefined}
        autocomplete="off"
        spellcheck={false}
        class={inputClass ? `combo-input ${inputClass}` : "combo-input"}
        data-value={value}
        disabled={disabled}
        title={title}
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
        class="combo-list"
        role="listbox"
        aria-label={listLabel}
        hidden={!open}
        // A click on an option must not blur the field first.
        onMouseDown={(event) => event.preventDefault()}
      >
        {open && flat.length === 0 && <p class="combo-none">No {noun} matches "{query}"</p>}
        {shown.map((group) => {
          const options = group.items.map((item) => {
            index++;
            const at = index;
            return (
              <div
                key={itemKey(item)}
                id={`${id}-${at}`}
                role="option"
                class="combo-option"
                aria-selected={at === active}
                data-current={isCurrent(item) || undefined}
                onMouseMove={() => at !== active && setActive(at)}
                onClick={() => choose(item)}
              >
                {renderItem(item, group)}
              </div>
            );
          });
          return group.label
            ? (
              <div key={group.label} role="group" aria-label={group.label} class="combo-group">
                <div class="combo-group-label" aria-hidden="true">{group.label}</div>
                {options}
              </div>
            )
            : options;
        })}
      </div>
    </span>
  );
}
