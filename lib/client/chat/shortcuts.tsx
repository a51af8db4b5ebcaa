/**
 * The chat's keyboard shortcuts (`/` focuses the message box, `n` starts a new session, `Escape`
 * stops the agent, `?` toggles the help) and the help dialog listing them with the page's own
 * (`Ctrl+K`, the palette; ``Ctrl+` ``, the terminal): a small panel over a dimmed page.
 */

import { type RefObject } from "preact";
import { useEffect, useRef, useState } from "preact/hooks";

const SHORTCUTS: [string, string][] = [
  ["/", "Focus the message box"],
  ["n", "New session in this project"],
  ["Escape", "Stop the agent"],
  ["Enter", "Send (Shift+Enter for a new line)"],
  ["Ctrl+K", "Go to any project or session (the command palette)"],
  ["Ctrl+`", "Show or hide the terminal"],
  ["?", "Show or hide this help"],
];

export interface ShortcutOptions {
  composer: RefObject<HTMLTextAreaElement>;
  /** Where `n` goes. */
  newSessionHref: string;
  busy: boolean;
  stop(): void;
}

/**
 * Installs the shortcuts on the document; returns the help dialog's state.
 *
 * @example
 * ```tsx
 * const help = useShortcuts({ composer, newSessionHref, busy, stop });
 * <ShortcutHelp {...help} />
 * ```
 */
export function useShortcuts(options: ShortcutOptions) {
  const [shown, setShown] = useState(false);
  const current = useRef({ options, shown });
  current.current = { options, shown };
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const { options, shown } = current.current;
      const target = event.target as HTMLElement | null;
      const typing = target && /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName);
      if (event.key === "Escape") {
        // A menu of the message box handles its own Escape first.
        if (event.defaultPrevented) return;
        if (shown) setShown(false);
        else if (options.busy) options.stop();
        return;
      }
      if (typing || event.ctrlKey || event.metaKey || event.altKey) return;
      if (event.key === "/") {
        event.preventDefault();
        options.composer.current?.focus();
      } else if (event.key === "n") {
        location.href = options.newSessionHref;
      } else if (event.key === "?") {
        setShown((was) => !was);
      }
    };
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  }, []);
  return { shown, close: () => setShown(false) };
}

export function ShortcutHelp({ shown, close }: { shown: boolean; close(): void }) {
  if (!shown) return null;
  return (
    <div class="help" role="dialog" aria-modal="true" aria-label="Keyboard shortcuts">
      <h2>Keyboard shortcuts</h2>
      <dl>
        {SHORTCUTS.map(([key, what]) => (
          <div key={key}>
            <dt>
              <kbd>{key}</kbd>
            </dt>
            <dd>{what}</dd>
          </div>
        ))}
      </dl>
      <button type="button" class="button" onClick={close}>Close</button>
    </div>
  );
}
