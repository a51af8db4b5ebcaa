/**
 * The project's terminals: a region `Terminal` with a tab per terminal (its title, `exited` or
 * `ended` when it stopped, and a button that ends it), `New terminal`, and at phone width a row of
 * keys a phone keyboard lacks (Esc, Tab, Ctrl, arrows). The first terminal is started on demand in
 * the project's folder; a reload, another tab or a later visit shows the same terminals with their
 * recent output. The emulator (xterm.js) is loaded only when a terminal opens
 * (`xterm_view.ts`). Shown docked at the bottom (`islands/Terminal.tsx`, the New session page) or
 * in the session page's side pane (`lib/client/workbench/`).
 */

import { useEffect, useRef, useState } from "preact/hooks";
import {
  connectPty,
  endTerminal,
  listTerminals,
  type PtyConnection,
  type PtyState,
  resizeTerminal,
  startTerminal,
} from "./pty_connection.ts";

export interface TerminalsProps {
  /** The project folder the shells start in. */
  directory: string;
  /** Whether the region is shown (its terminals are listed, or one started, once it is). */
  open: boolean;
  /** `Hide terminal`. */
  onHide(): void;
}

interface Tab {
  id: string;
  title: string;
  state: PtyState;
}

/** The arrow keys of the phone row, and what each sends to the shell. */
const ARROW_KEYS: { label: string; name: string; data: string }[] = [
  { label: "↑", name: "Up", data: "\x1b[A" },
  { label: "↓", name: "Down", data: "\x1b[B" },
  { label: "←", name: "Left", data: "\x1b[D" },
  { label: "→", name: "Right", data: "\x1b[C" },
];

export function Terminals({ directory, open, onHide }: TerminalsProps) {
  const [tabs, setTabs] = useState<Tab[]>([]);
  const [active, setActive] = useState<string>();
  const [problem, setProblem] = useState<string>();
  const [ctrl, setCtrl] = useState(false);
  const connections = useRef(new Map<string, PtyConnection>());
  const focusers = useRef(new Map<string, () => void>());
  const ctrlArmed = useRef(false);
  ctrlArmed.current = ctrl;
  useEffect(() => {
    if (!open) return;
    let cancelled = false;
    let retry: ReturnType<typeof setTimeout> | undefined;
    const load = async () => {
      try {
        let running = await listTerminals(directory);
        if (running.length === 0) running = [await startTerminal(directory)];
        if (cancelled) return;
        setProblem(undefined);
        setTabs(running.map(({ id, title }) => ({ id, title, state: "connecting" })));
        setActive((current) =>
          running.some((pty) => pty.id === current) ? current : running.at(-1)!.id
        );
      } catch (error) {
        if (cancelled) return;
        // OpenCode starting or restarting: said, and asked again while the region stays open.
        setProblem(`${(error as Error).message} (trying again…)`);
        retry = setTimeout(load, 2_000);
      }
    };
    load();
    return () => {
      cancelled = true;
      clearTimeout(retry);
    };
  }, [open, directory]);

  const addTerminal = async () => {
    try {
      const pty = await startTerminal(directory);
      setProblem(undefined);
      setTabs((current) => [...current, { id: pty.id, title: pty.title, state: "connecting" }]);
      setActive(pty.id);
    } catch (error) {
      setProblem((error as Error).message);
    }
  };

  const closeTab = async (tab: Tab) => {
    connections.current.get(tab.id)?.close();
    if (tab.state === "running" || tab.state === "connecting") {
      await endTerminal(directory, tab.id).catch(() => {});
    }
    setTabs((current) => {
      const left = current.filter((item) => item.id !== tab.id);
      if (active === tab.id) setActive(left.at(-1)?.id);
      return left;
    });
  };

  const setState = (id: string, state: PtyState) =>
    setTabs((current) => current.map((tab) => tab.id === id ? { ...tab, state } : tab));

  const sendKey = (data: string) => {
    if (!active) return;
    connections.current.get(active)?.send(data);
    focusers.current.get(active)?.();
  };

  if (!open) return null;
  return (
    <section id="terminal-region" class="terminal-panel" aria-label="Terminal">
      <div class="terminal-tabs">
        <ul class="terminal-list" aria-label="Terminals">
          {tabs.map((tab) => (
            <li class="terminal-tab" key={tab.id} data-state={tab.state}>
              <button
                type="button"
                aria-pressed={tab.id === active}
                aria-controls={`terminal-screen-${tab.id}`}
                onClick={() => setActive(tab.id)}
              >
                {tab.title}
                {(tab.state === "exited" || tab.state === "ended") && (
                  <span class="terminal-tab-state">{tab.state}</span>
                )}
              </button>
              <button
                type="button"
                class="terminal-tab-close"
                aria-label={`Close ${tab.title}`}
                title="End this terminal"
                onClick={() => closeTab(tab)}
              >
                ×
              </button>
            </li>
          ))}
        </ul>
        <button type="button" class="terminal-new" onClick={addTerminal}>New terminal</button>
        <button
          type="button"
          class="terminal-hide"
          aria-label="Hide terminal"
          onClick={onHide}
        >
          ⌄
        </button>
      </div>
      {problem && <p class="terminal-problem" role="alert">{problem}</p>}
      {tabs.length === 0 && !problem && <p class="terminal-empty">Starting a terminal…</p>}
      {tabs.map((tab) => (
        <TerminalScreen
          key={tab.id}
          directory={directory}
          tab={tab}
          hidden={tab.id !== active}
          onState={(state) => setState(tab.id, state)}
          register={(connection, focus) => {
            connections.current.set(tab.id, connection);
            focusers.current.set(tab.id, focus);
            return () => {
              connections.current.delete(tab.id);
              focusers.current.delete(tab.id);
            };
          }}
          ctrlArmed={() => {
            if (!ctrlArmed.current) return false;
            setCtrl(false);
            return true;
          }}
        />
      ))}
      <div class="terminal-keys" role="toolbar" aria-label="Terminal keys">
        <button type="button" aria-label="Escape" onClick={() => sendKey("\x1b")}>Esc</button>
        <button type="button" aria-label="Tab" onClick={() => sendKey("\t")}>Tab</button>
        <button
          type="button"
          aria-label="Control"
          aria-pressed={ctrl}
          onClick={() => {
            setCtrl(!ctrl);
            if (active) focusers.current.get(active)?.();
          }}
        >
          Ctrl
        </button>
        {ARROW_KEYS.map((key) => (
          <button
            type="button"
            key={key.name}
            aria-label={key.name}
            onClick={() => sendKey(key.data)}
          >
            {key.label}
          </button>
        ))}
      </div>
    </section>
  );
}

interface ScreenProps {
  directory: string;
  tab: Tab;
  hidden: boolean;
  onState(state: PtyState): void;
  /** Hands the dock this terminal's connection and focus; returns the function that takes them back. */
  register(connection: PtyConnection, focus: () => void): () => void;
  /** Whether the phone row's Ctrl is pressed (it is released by the key it applies to). */
  ctrlArmed(): boolean;
}

/** One terminal's screen: the emulator, its connection, and its size kept in step with the pane. */
function TerminalScreen(
  { directory, tab, hidden, onState, register, ctrlArmed }: ScreenProps,
) {
  const element = useRef<HTMLDivElement>(null);
  const fitNow = useRef<() => void>(() => {});
  useEffect(() => {
    let disposed = false;
    let cleanup = () => {};
    (async () => {
      const { mountTerminal } = await import("./xterm_view.ts");
      if (disposed || !element.current) return;
      // The view sends through the connection, which writes to the view: made in that order.
      const link: { connection?: PtyConnection } = {};
      const view = mountTerminal(element.current, {
        onInput(data) {
          // Ctrl from the phone row: the next letter becomes its control character.
          if (data.length === 1 && /[a-z@[\\\]^_]/i.test(data) && ctrlArmed()) {
            data = String.fromCharCode(data.toUpperCase().charCodeAt(0) & 0x1f);
          }
          link.connection?.send(data);
        },
      });
      const connection = link.connection = connectPty(directory, tab.id, {
        onOutput: (data) => view.write(data),
        onState,
      });
      const fit = () => {
        const size = view.fit();
        if (size) resizeTerminal(directory, tab.id, size).catch(() => {});
      };
      fitNow.current = fit;
      const observer = new ResizeObserver(() => requestAnimationFrame(fit));
      observer.observe(element.current);
      const unregister = register(connection, () => view.focus());
      fit();
      view.focus();
      cleanup = () => {
        observer.disconnect();
        unregister();
        connection.close();
        view.dispose();
      };
    })();
    return () => {
      disposed = true;
      cleanup();
    };
  }, [directory, tab.id]);

  useEffect(() => {
    if (!hidden) requestAnimationFrame(() => fitNow.current());
  }, [hidden]);

  const stopped = tab.state === "exited" || tab.state === "ended";
  return (
    <div
      class="terminal-screen"
      id={`terminal-screen-${tab.id}`}
      role="group"
      aria-label={tab.title}
      hidden={hidden}
    >
      <div class="terminal-emulator" ref={element} />
      {stopped && (
        <p class="terminal-stopped" role="status">
          {tab.state === "exited"
            ? "The shell exited: close its tab, or open a New terminal."
            : "The terminal ended (OpenCode stopped, or Palot's token changed): open a New terminal."}
        </p>
      )}
    </div>
  );
}
