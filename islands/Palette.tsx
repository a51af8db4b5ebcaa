/**
 * The command palette, on every page: `Ctrl+K` (or `Cmd+K`) opens a modal dialog whose field
 * filters projects, sessions and actions fetched from `/api/palette`; arrow keys move through the
 * list, Enter follows the chosen item, Escape closes it and gives focus back.
 */

import { useEffect, useLayoutEffect, useRef, useState } from "preact/hooks";
import type { PaletteItem } from "../lib/common/palette/items.ts";
import { toggleTheme } from "../lib/client/ui/theme_switch.ts";
import { revealInList } from "../lib/client/ui/reveal_in_list.ts";

/** Time after the last keystroke before the list is asked for. */
const DEBOUNCE_MS = 80;

export default function Palette() {
  const dialog = useRef<HTMLDialogElement>(null);
  const input = useRef<HTMLInputElement>(null);
  const [query, setQuery] = useState("");
  const [items, setItems] = useState<PaletteItem[]>([]);
  const [active, setActive] = useState(0);
  const [open, setOpen] = useState(false);
  const request = useRef(0);

  // Listening from the moment the island is marked hydrated (a layout effect runs within
  // hydration; a plain effect later, when a Ctrl+K already pressed would be lost).
  useLayoutEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if ((event.ctrlKey || event.metaKey) && !event.altKey && event.key.toLowerCase() === "k") {
        event.preventDefault();
        if (!dialog.current?.open) {
          dialog.current?.showModal();
          setOpen(true);
          input.current?.select();
        }
      }
    };
    document.addEventListener("keydown", onKey, true);
    return () => document.removeEventListener("keydown", onKey, true);
  }, []);

  useEffect(() => {
    if (!open) return;
    const sequence = ++request.current;
    const timer = setTimeout(async () => {
      try {
        const response = await fetch(`/api/palette?q=${encodeURIComponent(query)}`);
        const body = await response.json() as { items: PaletteItem[] };
        if (sequence !== request.current) return;
        setItems(body.items);
        setActive(0);
      } catch {
        if (sequence === request.current) setItems([]);
      }
    }, DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [query, open]);

  const choose = (item: PaletteItem | undefined) => {
    if (!item) return;
    dialog.current?.close();
    if (item.action === "toggle-theme") toggleTheme();
    else if (item.href) location.assign(item.href);
  };

  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      const step = event.key === "ArrowDown" ? 1 : -1;
      setActive((index) => (index + step + items.length) % Math.max(items.length, 1));
    } else if (event.key === "Enter") {
      event.preventDefault();
      choose(items[active]);
    }
  };

  useEffect(() => {
    const option = document.getElementById(`palette-item-${active}`);
    revealInList(document.getElementById("palette-list"), option);
  }, [active, items]);

  return (
    <dialog
      ref={dialog}
      class="palette"
      aria-label="Command palette"
      // The close event comes in a task of its own: after an Escape and a quick Ctrl+K it can
      // arrive when the dialog is open again, and must not mark it closed.
      onClose={() => setOpen(dialog.current?.open ?? false)}
    >
      <input
        ref={input}
        class="palette-input"
        type="text"
        role="combobox"
        aria-label="Go to a project or session, or run a command"
        aria-expanded={items.length > 0}
        aria-controls="palette-list"
        aria-activedescendant={items.length ? `palette-item-${active}` : undefined}
        autocomplete="off"
        placeholder="Project, session or command…"
        value={query}
        onInput={(event) => setQuery((event.target as HTMLInputElement).value)}
        onKeyDown={onKeyDown}
      />
      <ul id="palette-list" class="palette-list" role="listbox" aria-label="Results">
        {items.map((item, index) => (
          <li
            key={item.id}
            id={`palette-item-${index}`}
            role="option"
            aria-selected={index === active}
            class="palette-item"
            onMouseMove={() => setActive(index)}
            onClick={() => choose(item)}
          >
            <span class="palette-label">{item.label}</span>
            {item.detail && <span class="palette-detail">{item.detail}</span>}
          </li>
        ))}
        {open && items.length === 0 && (
          <li class="palette-empty" role="presentation">Nothing matches</li>
        )}
      </ul>
      <p class="palette-hint muted">↑ ↓ to choose · Enter to open · Esc to close</p>
    </dialog>
  );
}
