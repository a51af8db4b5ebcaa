/**
 * The session page's `Changes` (a tab of its side pane, `lib/client/workbench/`): the files this
 * session changed with their added and removed lines (kept live from the messages on screen and
 * `session.diff` events, plus the older history fetched once when the tab opens), and a second
 * view of the project's working tree as git sees it now (`vcs.status`, each file's diff from
 * `vcs.diff` when opened). Each file opens in the {@linkcode DiffViewer}. A folder without git, a
 * file that changed on disk since the list was read, and a failed request each say so. `Open file`
 * (and each row's `Open in Files`) shows the file itself in the pane's Files tab, at the first
 * changed line.
 */

import { useEffect, useState } from "preact/hooks";
import type { Signal } from "@preact/signals";
import type { VcsFileStatus } from "@opencode-ai/sdk/v2/client";
import { getProjectClient } from "../live/clients.ts";
import { sessionDiffs } from "../live/session_diffs.ts";
import type { MessageEntry, SessionEntry } from "../live/store.ts";
import { type ChangedFile, type MessageLike, sessionChanges } from "./changes.ts";
import { DiffViewer } from "./file_diff.tsx";
import { openFile } from "../workbench/pane_state.ts";

export interface ChangesPanelProps {
  directory: string;
  sessionId: string;
  entry: SessionEntry | undefined;
  /** The live messages. */
  list: Signal<MessageEntry[]>;
  revertedFrom: string | undefined;
  /** Whether the folder is a git repository (`undefined`: not known). */
  git?: boolean;
}

const VIEWS = [["session", "This session"], ["tree", "Working tree"]] as const;

type Opened = { file: string; patches: string[]; status?: ChangedFile["status"] };

/** The first line a patch changes in the new file (1 when none is said). */
function firstChangedLine(patches: string[]): number {
  const hunk = /^@@ -\d+(?:,\d+)? \+(\d+)/m.exec(patches.join("\n"));
  return hunk ? Math.max(1, Number(hunk[1])) : 1;
}

export function Counts({ additions, deletions }: { additions: number; deletions: number }) {
  return (
    <span class="change-counts">
      <span class="change-add" aria-label={`${additions} lines added`}>+{additions}</span>{" "}
      <span class="change-del" aria-label={`${deletions} lines removed`}>−{deletions}</span>
    </span>
  );
}

function FileList(
  { files, onOpen, opened, directory }: {
    files: { file: string; additions: number; deletions: number; status?: string }[];
    onOpen(file: string): void;
    opened?: string;
    directory: string;
  },
) {
  return (
    <ul class="changed-files">
      {files.map((file) => (
        <li key={file.file} class={file.file === opened ? "current" : undefined}>
          <button type="button" class="changed-file" onClick={() => onOpen(file.file)}>
            {file.file}
          </button>
          {file.status && file.status !== "modified" && (
            <span class={`change-status ${file.status}`}>{file.status}</span>
          )}
          <Counts additions={file.additions} deletions={file.deletions} />
          {file.status !== "deleted" && (
            <button
              type="button"
              class="icon-button open-in-files"
              // Not named after the file: the file's own button (its diff) keeps a unique name.
              aria-label="Open in Files"
              title={`Open ${file.file} in Files`}
              onClick={() => openFile(directory, file.file)}
            >
              ↗
            </button>
          )}
        </li>
      ))}
    </ul>
  );
}

/** The session's changed files, from every source OpenCode offers, live. */
export function useSessionFiles(props: ChangesPanelProps, expanded: boolean): ChangedFile[] {
  const { directory, sessionId } = props;
  const [older, setOlder] = useState<MessageLike[]>([]);
  const live = props.list.value;
  const firstLive = live[0]?.id;
  useEffect(() => {
    if (!expanded) return;
    let cancelled = false;
    getProjectClient(directory).session.messages({ sessionID: sessionId }).then(({ data }) => {
      if (cancelled || !data) return;
      setOlder(
        data.map((message) => message.info).filter((info) => !firstLive || info.id < firstLive),
      );
    }).catch(() => {/* the live messages still count */});
    return () => {
      cancelled = true;
    };
  }, [expanded, sessionId]);
  const sessionWide = sessionDiffs.value[sessionId] ?? props.entry?.info?.summary?.diffs;
  return sessionChanges(
    sessionWide,
    [...older, ...live.map((message) => message.info.value as MessageLike)],
    props.revertedFrom,
  );
}

function WorkingTree(
  { directory, git, onOpen, opened }: {
    directory: string;
    git?: boolean;
    onOpen(opened: Opened | undefined, note?: string): void;
    opened?: string;
  },
) {
  const [files, setFiles] = useState<VcsFileStatus[] | undefined>();
  const [error, setError] = useState("");
  const load = async () => {
    setError("");
    const { data, response } = await getProjectClient(directory).vcs.status().catch(() => ({
      data: undefined,
      response: undefined,
    }));
    if (data) setFiles(data);
    else setError(`Cannot read the working tree (${response?.status ?? "no answer"}); try Refresh`);
  };
  useEffect(() => {
    if (git !== false) load();
  }, [directory]);
  const open = async (file: string) => {
    const { data } = await getProjectClient(directory).vcs.diff({ mode: "git" }).catch(() => ({
      data: undefined,
    }));
    if (!data) return onOpen(undefined, `Cannot read the diff of ${file}; try again`);
    const diff = data.find((candidate) => candidate.file === file);
    if (!diff) {
      load();
      return onOpen(
        undefined,
        `${file} has no uncommitted changes any more: it changed on disk since the list was read. The list is read again.`,
      );
    }
    onOpen({ file, patches: diff.patch ? [diff.patch] : [], status: diff.status });
  };
  if (git === false) {
    return (
      <p class="muted">
        This folder is not a git repository, so there is no working tree status to show.
      </p>
    );
  }
  return (
    <div class="working-tree">
      <button type="button" class="button small" onClick={load}>Refresh</button>
      {error && <p class="changes-error" role="alert">{error}</p>}
      {files && files.length === 0 && <p class="muted">No uncommitted changes.</p>}
      {files && <FileList files={files} onOpen={open} opened={opened} directory={directory} />}
    </div>
  );
}

/** How many files, lines added and removed: beside the `Changes` button. */
export function ChangesSummary({ files }: { files: ChangedFile[] }) {
  const additions = files.reduce((sum, file) => sum + file.additions, 0);
  const deletions = files.reduce((sum, file) => sum + file.deletions, 0);
  return (
    <span class="muted changes-summary">
      {files.length === 1 ? "1 file" : `${files.length} files`}{" "}
      <Counts additions={additions} deletions={deletions} />
    </span>
  );
}

/**
 * The `Changes` region: this session's files, or the working tree, and the diff of the one opened.
 *
 * @example
 * ```tsx
 * const files = useSessionFiles(props, open);
 * <ChangesView {...props} files={files} />
 * ```
 */
export function ChangesView(props: ChangesPanelProps & { files: ChangedFile[] }) {
  const { files } = props;
  const [view, setView] = useState<(typeof VIEWS)[number][0]>("session");
  const [opened, setOpened] = useState<Opened | undefined>();
  const [note, setNote] = useState("");
  const show = (next: Opened | undefined, message = "") => {
    setOpened(next);
    setNote(message);
  };
  const choose = (next: typeof view) => {
    setView(next);
    show(undefined);
  };
  return (
    <div class="changes-panel" id="changes-panel" role="region" aria-label="Changes">
      <div role="tablist" class="changes-tabs">
        {VIEWS.map(([name, label]) => (
          <button
            key={name}
            type="button"
            role="tab"
            aria-selected={view === name}
            onClick={() => choose(name)}
          >
            {label}
          </button>
        ))}
      </div>
      <div role="tabpanel" class="changes-body">
        {view === "session"
          ? (files.length === 0
            ? <p class="muted">This session has not changed any file.</p>
            : (
              <FileList
                files={files}
                opened={opened?.file}
                directory={props.directory}
                onOpen={(file) => show(files.find((candidate) => candidate.file === file))}
              />
            ))
          : (
            <WorkingTree
              directory={props.directory}
              git={props.git}
              onOpen={show}
              opened={opened?.file}
            />
          )}
        {note && <p class="changes-error" role="alert">{note}</p>}
        {opened && (
          <div class="changes-diff">
            <div class="changes-diff-head">
              <h3>{opened.file}</h3>
              {opened.status !== "deleted" && (
                <button
                  type="button"
                  class="button small"
                  onClick={() =>
                    openFile(props.directory, opened.file, firstChangedLine(opened.patches))}
                >
                  Open file
                </button>
              )}
              <button type="button" class="button small" onClick={() => show(undefined)}>
                Close diff
              </button>
            </div>
            <DiffViewer
              key={opened.file}
              path={opened.file}
              patches={opened.patches}
              status={opened.status}
            />
          </div>
        )}
      </div>
    </div>
  );
}
