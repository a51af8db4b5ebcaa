/**
 * The `Open folder` form: a `Folder path` field with sub-folder completion as the user types
 * (a combobox over a listbox, served by `/api/folders/complete`), and `Open`, which checks the
 * path first (`/api/folders/check`) so a bad one gets its message next to the field and nothing
 * else changes. Without JavaScript the same form submits to `/new`, which checks it on the server.
 */

import { useEffect, useRef, useState } from "preact/hooks";

export interface OpenFolderProps {
  /** The path as typed, when the server sends the form back with an error. */
  value?: string;
  error?: string;
}

/** Wait after a keystroke before asking for suggestions. */
const DEBOUNCE_MS = 120;

async function getJson<T>(path: string, value: string): Promise<T> {
  const response = await fetch(`${path}?path=${encodeURIComponent(value)}`);
  if (!response.ok) throw new Error(`Palot answered ${response.status}`);
  return await response.json() as T;
}

export default function OpenFolder(props: OpenFolderProps) {
  const [value, setValue] = useState(props.value ?? "");
  const [error, setError] = useState(props.error ?? "");
  const [suggestions, setSuggestions] = useState<string[]>([]);
  const [active, setActive] = useState(-1);
  const [checking, setChecking] = useState(false);
  const request = useRef(0);
  const input = useRef<HTMLInputElement>(null);

  const suggest = (typed: string) => {
    const id = ++request.current;
    if (!typed.includes("/") && typed !== "~") {
      setSuggestions([]);
      return;
    }
    getJson<{ folders: string[] }>("/api/folders/complete", typed)
      .then((result) => {
        if (id !== request.current) return;
        setSuggestions(result.folders);
        setActive(-1);
      })
      .catch(() => id === request.current && setSuggestions([]));
  };
  useEffect(() => {
    const timer = setTimeout(() => suggest(value), DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [value]);
  // What was typed before the page's script ran is the field's value now: take it over, so its
  // suggestions come without another key (and a later render does not wipe it).
  useEffect(() => {
    const typed = input.current?.value ?? "";
    if (typed !== value) setValue(typed);
  }, []);

  const pick = (folder: string) => {
    setValue(folder);
    setError("");
    input.current?.focus();
  };

  const open = async (event: Event) => {
    event.preventDefault();
    setChecking(true);
    try {
      const result = await getJson<{ ok: boolean; path?: string; error?: string }>(
        "/api/folders/check",
        value,
      );
      if (result.ok) location.href = `/new?directory=${encodeURIComponent(result.path!)}`;
      else setError(result.error!);
    } catch (reason) {
      setError(`Cannot check the folder: ${(reason as Error).message}`);
    } finally {
      setChecking(false);
    }
  };

  const onKeyDown = (event: KeyboardEvent) => {
    if (suggestions.length === 0) return;
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      const step = event.key === "ArrowDown" ? 1 : -1;
      setActive((current) => (current + step + suggestions.length) % suggestions.length);
    } else if ((event.key === "Enter" || event.key === "Tab") && active >= 0) {
      event.preventDefault();
      pick(suggestions[active]);
    } else if (event.key === "Escape") {
      event.preventDefault();
      event.stopPropagation();
      setSuggestions([]);
    }
  };

  const expanded = suggestions.length > 0;
  return (
    <form
      class="open-folder"
      method="get"
      action="/new"
      aria-label="Open folder"
      onSubmit={open}
    >
      <h2>Open folder</h2>
      <label for="folder-path">Folder path</label>
      <div class="open-folder-row">
        <div class="combo">
          <input
            ref={input}
            id="folder-path"
            name="directory"
            type="text"
            role="combobox"
            aria-autocomplete="list"
            aria-expanded={expanded}
            aria-controls="folder-suggestions"
            aria-activedescendant={active >= 0 ? `folder-suggestion-${active}` : undefined}
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? "folder-error" : undefined}
            autocomplete="off"
            autocapitalize="off"
            spellcheck={false}
            placeholder="~/code/project"
            value={value}
            onInput={(event) => {
              setValue(event.currentTarget.value);
              setError("");
            }}
            onKeyDown={onKeyDown}
            onBlur={() => setTimeout(() => setSuggestions([]), 150)}
          />
          <ul
            id="folder-suggestions"
            role="listbox"
            aria-label="Folders"
            class="folder-suggestions"
            hidden={!expanded}
          >
            {suggestions.map((folder, index) => (
              <li
                key={folder}
                id={`folder-suggestion-${index}`}
                role="option"
                aria-selected={index === active}
                onMouseDown={(event) => {
                  event.preventDefault();
                  pick(folder);
                }}
              >
                {folder}
              </li>
            ))}
          </ul>
        </div>
        <button type="submit" class="button primary" disabled={checking}>Open</button>
      </div>
      {error && <p id="folder-error" class="field-error" role="alert">{error}</p>}
    </form>
  );
}
