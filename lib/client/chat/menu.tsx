/**
 * The message box's pop-up list (slash commands, `@file` results): a `role="listbox"` of
 * `role="option"` items whose active one the box names with `aria-activedescendant`, so focus
 * stays in the box while arrows move through the list; Enter or Tab chooses, Escape closes,
 * the mouse chooses too. {@linkcode menuKey} is the keyboard half, the box calls it first.
 */

export interface MenuOption {
  key: string;
  label: string;
  detail?: string;
}

export interface MenuProps {
  id: string;
  label: string;
  options: MenuOption[];
  active: number;
  onChoose(index: number): void;
  onActivate(index: number): void;
}

/** The id of option `index` of menu `id` (for `aria-activedescendant`). */
export const optionId = (id: string, index: number) => `${id}-option-${index}`;

export function Menu({ id, label, options, active, onChoose, onActivate }: MenuProps) {
  return (
    <ul id={id} class="composer-menu" role="listbox" aria-label={label}>
      {options.map((option, index) => (
        <li
          key={option.key}
          id={optionId(id, index)}
          role="option"
          aria-selected={index === active}
          class={index === active ? "active" : undefined}
          // mousedown, not click: the box keeps its focus and caret.
          onMouseDown={(event) => {
            event.preventDefault();
            onChoose(index);
          }}
          onMouseMove={() => index !== active && onActivate(index)}
        >
          <span class="menu-label">{option.label}</span>
          {option.detail && <span class="menu-detail">{option.detail}</span>}
        </li>
      ))}
    </ul>
  );
}

/** What a key does to an open menu of `count` options, or `undefined` when it is not the menu's. */
export function menuKey(
  key: string,
  active: number,
  count: number,
): { move: number } | { choose: number } | { close: true } | undefined {
  if (count === 0) return key === "Escape" ? { close: true } : undefined;
  switch (key) {
    case "ArrowDown":
      return { move: (active + 1) % count };
    case "ArrowUp":
      return { move: (active - 1 + count) % count };
    case "Enter":
    case "Tab":
      return { choose: active };
    case "Escape":
      return { close: true };
  }
  return undefined;
}
