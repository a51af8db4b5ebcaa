/**
 * The project's terminals docked at the bottom of the window, on the New session page (a session
 * page has them in its side pane): the `Terminal` button (or `Ctrl+\``) opens the region
 * ({@linkcode Terminals}). Whether it is open is kept per project in this browser.
 */

import { useEffect, useState } from "preact/hooks";
import { Terminals } from "../lib/client/terminal/terminals.tsx";

export interface TerminalProps {
  /** The project folder the shells start in. */
  directory: string;
}

const openKey = (directory: string) => `palot.terminal.open:${directory}`;

export default function TerminalDock({ directory }: TerminalProps) {
  const [open, setOpen] = useState(false);
  // Rendered disabled by the server: a click before the page's script runs would do nothing.
  const [hydrated, setHydrated] = useState(false);

  // Open as it was left in this browser.
  useEffect(() => {
    setHydrated(true);
    if (localStorage.getItem(openKey(directory)) === "1") setOpen(true);
  }, [directory]);

  useEffect(() => {
    const toggle = (event: KeyboardEvent) => {
      if (event.ctrlKey && !event.altKey && !event.metaKey && event.code === "Backquote") {
        event.preventDefault();
        event.stopPropagation();
        setOpen((value) => !value);
      }
    };
    document.addEventListener("keydown", toggle, { capture: true });
    return () => document.removeEventListener("keydown", toggle, { capture: true });
  }, []);

  useEffect(() => {
    try {
      if (open) localStorage.setItem(openKey(directory), "1");
      else localStorage.removeItem(openKey(directory));
    } catch { /* storage full or denied: the region just does not reopen by itself */ }
    document.documentElement.toggleAttribute("data-terminal-open", open);
  }, [open, directory]);

  return (
    <div class="terminal-dock">
      <div class="terminal-dock-bar">
        <button
          type="button"
          class="button terminal-toggle"
          aria-expanded={open}
          aria-controls="terminal-region"
          aria-keyshortcuts="Control+`"
          title="Terminal (Ctrl+`)"
          disabled={!hydrated}
          onClick={() => setOpen(!open)}
        >
          Terminal
        </button>
      </div>
      <Terminals directory={directory} open={open} onHide={() => setOpen(false)} />
    </div>
  );
}
