/**
 * The session page's workbench: the bar under the chat's toolbar (`Changes` with its summary,
 * `Files`, `Terminal`, `Todo` with the plan's progress, `Export`) and the side pane they open, with
 * the tabs `Changes`, `Files`, `Terminal`, `Todo` (and `Sub-agents` for a session that started
 * some). On a wide screen (≥ 1200 px) the pane sits beside the chat, narrower over it, and at phone
 * width it is a full-screen sheet with a close button. Its width (drag its edge, or arrow keys on
 * it), tab and open state are kept in this browser (`pane_state.ts`); `Ctrl+\`` toggles the
 * terminal. Each tab is drawn once first shown and kept (a terminal stays connected), and the code
 * of `Files`, `Terminal` and `Sub-agents` loads only then; closing the pane hides it, keeping them.
 */

import type { Todo } from "@opencode-ai/sdk/v2/client";
import { useEffect, useRef, useState } from "preact/hooks";
import { type ChangedFile } from "../chat/changes.ts";
import { type ChangesPanelProps, ChangesSummary, ChangesView } from "../chat/changes_panel.tsx";
import { LazyPanel } from "./lazy_panel.tsx";
import { clampWidth, PANE_MIN_WIDTH, readPaneSettings } from "./pane_layout.ts";
import {
  openFilesOnClick,
  pane,
  type PaneTab,
  setPane,
  showTab,
  type SubSession,
  toggleTab,
} from "./pane_state.ts";

export type { SubSession } from "./pane_state.ts";
import { progressText } from "./todo_progress.ts";
import { TodoTab } from "./todo_tab.tsx";

/** The chat keeps at least this much of the window beside a pane on a wide screen. */
const CHAT_MIN_WIDTH = 480;
/** When the pane opens over the chat rather than beside it. */
const OVER_THE_CHAT = "(max-width: 1199px)";
/** Arrow keys on the pane's edge move it by this much (Shift: four times). */
const KEY_STEP = 24;

export interface WorkbenchProps {
  changes: ChangesPanelProps;
  files: ChangedFile[];
  todos: Todo[];
  subSessions: SubSession[];
  /** The session's title, for the way back from a sub-agent. */
  title: string;
  /** Whether the pane has the project's terminals (the New session page docks them instead). */
  terminal: boolean;
  /** Puts `@path` into the composer. */
  onMention(path: string): void;
}

const LABELS: Record<PaneTab, string> = {
  changes: "Changes",
  files: "Files",
  terminal: "Terminal",
  todo: "Todo",
  agents: "Sub-agents",
};

/** Whether the pane is open on `tab` (a bar button's `aria-expanded`). */
const showing = (tab: PaneTab) => pane.value.open && pane.value.tab === tab;

/** The buttons that open the pane, with what each tab has, under the chat's toolbar. */
export function WorkbenchBar(
  { files, todos, terminal, busy, onExport }: {
    files: ChangedFile[];
    todos: Todo[];
    terminal: boolean;
    busy: boolean;
    onExport(format: "markdown" | "json"): Promise<void>;
  },
) {
  const [exportOpen, setExportOpen] = useState(false);
  const [exportNote, setExportNote] = useState("");
  const progress = progressText(todos);
  const button = (tab: PaneTab, extra?: string) => (
    <button
      type="button"
      class={`button pane-toggle${busy && tab === "todo" ? " working" : ""}`}
      aria-expanded={showing(tab)}
      aria-controls="workbench"
      aria-keyshortcuts={tab === "terminal" ? "Control+`" : undefined}
      title={tab === "terminal" ? "Terminal (Ctrl+`)" : undefined}
      onClick={() => toggleTab(tab)}
    >
      {LABELS[tab]}
      {extra && (
        <>
          {" "}
          <span class="pane-toggle-extra">{extra}</span>
        </>
      )}
    </button>
  );
  const exportAs = async (format: "markdown" | "json") => {
    setExportNote("");
    try {
      await onExport(format);
      setExportOpen(false);
    } catch (error) {
      setExportNote(`Could not export: ${(error as Error).message}`);
    }
  };
  return (
    <div class="workbench-bar">
      {button("changes")}
      <ChangesSummary files={files} />
      <span class="workbench-bar-end">
        {button("files")}
        {terminal && button("terminal")}
        {button("todo", progress)}
        <span
          class="export-menu"
          onKeyDown={(event) => {
            if (event.key !== "Escape" || !exportOpen) return;
            setExportOpen(false);
            (event.currentTarget.querySelector("button") as HTMLButtonElement).focus();
          }}
        >
          <button
            type="button"
            class="button"
            aria-expanded={exportOpen}
            aria-controls="export-choices"
            onClick={() => setExportOpen(!exportOpen)}
          >
            Export
          </button>
          {exportOpen && (
            <span class="export-choices" id="export-choices" role="group" aria-label="Export as">
              <button
                type="button"
                class="button small"
                onClick={() =>
                  exportAs("markdown")}
              >
                Markdown
              </button>
              <button
                type="button"
                class="button small"
                onClick={() =>
                  exportAs("json")}
              >
                JSON
              </button>
            </span>
          )}
        </span>
      </span>
      {exportNote && <p class="changes-error" role="alert">{exportNote}</p>}
    </div>
  );
}

/** The pane itself (nothing while closed). */
export function Workbench(props: WorkbenchProps) {
  const { changes } = props;
  const { open, tab, width } = pane.value;
  const [visited, setVisited] = useState<Set<PaneTab>>(() => new Set());
  const [restored, setRestored] = useState(false);
  const tabs = (Object.keys(LABELS) as PaneTab[]).filter((name) =>
    (name !== "terminal" || props.terminal) && (name !== "agents" || props.subSessions.length > 0)
  );
  const current = tabs.includes(tab) ? tab : "changes";
  const tabRefs = useRef(new Map<PaneTab, HTMLButtonElement>());

  // As this browser left it (read after hydration: the server rendered it closed).
  useEffect(() => {
    if (props.terminal) setPane(readPaneSettings());
    setRestored(true);
    return openFilesOnClick(changes.directory);
  }, []);
  useEffect(() => {
    if (!props.terminal) return;
    const onKey = (event: KeyboardEvent) => {
      if (event.ctrlKey && !event.altKey && !event.metaKey && event.code === "Backquote") {
        event.preventDefault();
        event.stopPropagation();
        toggleTab("terminal");
      }
    };
    document.addEventListener("keydown", onKey, { capture: true });
    return () => document.removeEventListener("keydown", onKey, { capture: true });
  }, []);
  useEffect(() => {
    if (open && !visited.has(current)) setVisited(new Set([...visited, current]));
  }, [open, current]);
  // Over the chat (narrower than 1200 px) the pane takes the focus when the user opens it, and
  // gives it back to what opened it when closed; beside the chat it leaves the focus where it is.
  const opener = useRef<HTMLElement | null>(null);
  const seenOpen = useRef<boolean | undefined>(undefined);
  useEffect(() => {
    if (!restored) return;
    const before = seenOpen.current;
    seenOpen.current = open;
    if (before === undefined || before === open) return;
    if (open && matchMedia(OVER_THE_CHAT).matches) {
      opener.current = document.activeElement as HTMLElement | null;
      tabRefs.current.get(current)?.focus();
    } else if (!open && opener.current?.isConnected) {
      opener.current.focus();
      opener.current = null;
    }
  }, [open, restored]);
  // Once shown it stays (hidden while closed): a terminal stays connected, a file stays open.
  if (!restored || (!open && visited.size === 0)) return null;

  const maxWidth = () => Math.max(PANE_MIN_WIDTH, innerWidth - CHAT_MIN_WIDTH);
  const resizeTo = (next: number, keep = true) => {
    const clamped = Math.min(maxWidth(), clampWidth(next));
    if (keep) setPane({ width: clamped });
    else document.documentElement.style.setProperty("--pane-width", `${clamped}px`);
    return clamped;
  };
  const onPointerDown = (event: PointerEvent) => {
    const handle = event.currentTarget as HTMLElement;
    handle.setPointerCapture(event.pointerId);
    let last = width;
    const move = (moved: PointerEvent) => {
      last = resizeTo(innerWidth - moved.clientX, false);
    };
    const up = () => {
      handle.removeEventListener("pointermove", move);
      handle.removeEventListener("pointerup", up);
      handle.removeEventListener("pointercancel", up);
      resizeTo(last);
    };
    handle.addEventListener("pointermove", move);
    handle.addEventListener("pointerup", up);
    handle.addEventListener("pointercancel", up);
  };
  const onSeparatorKey = (event: KeyboardEvent) => {
    const step = event.shiftKey ? KEY_STEP * 4 : KEY_STEP;
    const next = {
      ArrowLeft: width + step,
      ArrowRight: width - step,
      Home: maxWidth(),
      End: PANE_MIN_WIDTH,
    }[event.key];
    if (next === undefined) return;
    event.preventDefault();
    resizeTo(next);
  };
  const onTabKey = (event: KeyboardEvent) => {
    const index = tabs.indexOf(current);
    const next = event.key === "ArrowRight"
      ? tabs[(index + 1) % tabs.length]
      : event.key === "ArrowLeft"
      ? tabs[(index - 1 + tabs.length) % tabs.length]
      : event.key === "Home"
      ? tabs[0]
      : event.key === "End"
      ? tabs.at(-1)
      : undefined;
    if (!next) return;
    event.preventDefault();
    showTab(next);
    tabRefs.current.get(next)?.focus();
  };

  const panel = (name: PaneTab) => {
    switch (name) {
      case "changes":
        return <ChangesView {...changes} files={props.files} />;
      case "todo":
        return <TodoTab todos={props.todos} />;
      case "files":
        return (
          <LazyPanel
            load={() => import("./files_tab.tsx")}
            render={({ FilesTab }) => (
              <FilesTab
                directory={changes.directory}
                onMention={props.onMention}
                changes={props.files.map((file) =>
                  `${file.file}:${file.additions}:${file.deletions}`
                )
                  .join()}
              />
            )}
          />
        );
      case "terminal":
        return (
          <LazyPanel
            load={() => import("../terminal/terminals.tsx")}
            render={({ Terminals }) => (
              <Terminals
                directory={changes.directory}
                open
                onHide={() => setPane({ open: false })}
              />
            )}
          />
        );
      case "agents":
        return (
          <LazyPanel
            load={() => import("./agents_tab.tsx")}
            render={({ AgentsTab }) => (
              <AgentsTab
                directory={changes.directory}
                parentTitle={props.title}
                subSessions={props.subSessions}
              />
            )}
          />
        );
    }
  };

  return (
    <section
      id="workbench"
      class="workbench"
      aria-label="Workbench"
      hidden={!open}
      onKeyDown={(event) => {
        // Escape closes a pane that covers the chat (a terminal keeps Escape for its shell).
        const target = event.target as Element;
        if (
          event.key === "Escape" && matchMedia(OVER_THE_CHAT).matches &&
          !target.closest(".terminal-panel")
        ) {
          event.preventDefault();
          setPane({ open: false });
        }
      }}
    >
      <div
        class="pane-separator"
        role="separator"
        aria-orientation="vertical"
        aria-label="Pane width"
        aria-controls="workbench"
        aria-valuenow={width}
        aria-valuemin={PANE_MIN_WIDTH}
        aria-valuemax={maxWidth()}
        tabIndex={0}
        onPointerDown={onPointerDown}
        onKeyDown={onSeparatorKey}
      />
      <div class="pane-head">
        <div class="pane-tabs" role="tablist" aria-label="Workbench" onKeyDown={onTabKey}>
          {tabs.map((name) => (
            <button
              key={name}
              type="button"
              role="tab"
              id={`pane-tab-${name}`}
              aria-selected={name === current}
              aria-controls={`pane-panel-${name}`}
              tabIndex={name === current ? 0 : -1}
              ref={(element) => {
                if (element) tabRefs.current.set(name, element);
              }}
              onClick={() => showTab(name)}
            >
              {LABELS[name]}
              {name === "todo" && progressText(props.todos) && (
                <>
                  {" "}
                  <span class="pane-tab-extra">{progressText(props.todos)}</span>
                </>
              )}
            </button>
          ))}
        </div>
        <button
          type="button"
          class="pane-close"
          aria-label="Close pane"
          title="Close pane"
          onClick={() => setPane({ open: false })}
        >
          ×
        </button>
      </div>
      {tabs.filter((name) => visited.has(name) || name === current).map((name) => (
        <div
          key={name}
          class={`pane-panel pane-panel-${name}`}
          id={`pane-panel-${name}`}
          role="tabpanel"
          aria-labelledby={`pane-tab-${name}`}
          hidden={name !== current}
        >
          {panel(name)}
        </div>
      ))}
    </section>
  );
}
