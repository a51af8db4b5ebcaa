/**
 * The terminal emulator on screen: xterm.js with its fit addon and its DOM renderer (the output is
 * in the page as text, for screen readers and tests; its screen-reader mode measured slower here,
 * 366 ms frames against 226 ms while printing 50 MB). This module is the terminal's own chunk:
 * the island imports it only when a terminal opens, so no other page pays for it. Its stylesheet
 * (`xterm.css`, copied next to the bundles by `build.ts`) is linked the first time.
 */

import { FitAddon } from "@xterm/addon-fit";
import { Terminal } from "@xterm/xterm";

/** One terminal drawn in an element. */
export interface TerminalView {
  /** Shows output (text, or bytes that may not be UTF-8). */
  write(data: string | Uint8Array): void;
  /** Fits the terminal to its element; the new size, or `undefined` when it did not change. */
  fit(): { rows: number; cols: number } | undefined;
  focus(): void;
  dispose(): void;
}

export interface TerminalViewOptions {
  /** What the user types (keys, paste), as the bytes to send to the shell. */
  onInput(data: string): void;
}

const STYLESHEET = "/static/build/xterm.css";

/**
 * Draws a terminal in `element`.
 *
 * @example
 * ```ts
 * const view = mountTerminal(element, { onInput: (data) => socket.send(data) });
 * socket.onmessage = (event) => view.write(event.data);
 * ```
 */
export function mountTerminal(element: HTMLElement, options: TerminalViewOptions): TerminalView {
  if (!document.querySelector(`link[href="${STYLESHEET}"]`)) {
    const link = document.createElement("link");
    link.rel = "stylesheet";
    link.href = STYLESHEET;
    document.head.append(link);
  }
  const terminal = new Terminal({
    convertEol: false,
    cursorBlink: true,
    scrollback: 5_000,
    fontFamily: getComputedStyle(element).getPropertyValue("--font-mono").trim() || "monospace",
    fontSize: 13,
    theme: { background: "#16181d", foreground: "#e4e6eb", cursor: "#e4e6eb" },
  });
  const fitAddon = new FitAddon();
  terminal.loadAddon(fitAddon);
  terminal.open(element);
  terminal.onData(options.onInput);
  let size = "";
  return {
    write: (data) => terminal.write(data),
    fit() {
      if (!element.isConnected || element.clientWidth === 0) return undefined;
      fitAddon.fit();
      const next = `${terminal.rows}x${terminal.cols}`;
      if (next === size) return undefined;
      size = next;
      return { rows: terminal.rows, cols: terminal.cols };
    },
    focus: () => terminal.focus(),
    dispose: () => terminal.dispose(),
  };
}
