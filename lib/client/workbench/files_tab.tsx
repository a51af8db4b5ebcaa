/**
 * The pane's `Files` tab: the project's files as a tree (OpenCode's `file.list`, each folder read
 * when it is opened), git's marks beside them (`vcs.status`: modified, added, deleted), `Find file`
 * (`find.files`), and the file opened (`file.read`) in the {@linkcode FileViewer}, at a line when
 * a file name elsewhere on the page asked for one (`pane_state.ts`). A binary file, a file too
 * large to show and a failed read each say so. `Mention` puts the file into the composer.
 */

import { useEffect, useState } from "preact/hooks";
import type { File as FileStatus, FileContent, FileNode } from "@opencode-ai/sdk/v2/client";
import { getProjectClient } from "../live/clients.ts";
import { formatBytes } from "../ui/format.ts";
import { FileViewer } from "./file_viewer.tsx";
import { fileRequest } from "./pane_state.ts";

/** Larger files are not drawn: the browser would hold the whole text for little use. */
export const LARGEST_SHOWN = 8 * 1024 * 1024;
const FIND_DELAY_MS = 150;
const FIND_LIMIT = 100;

const STATUS_MARKS: Record<FileStatus["status"], string> = {
  modified: "M",
  added: "A",
  deleted: "D",
};

type Result<T> = { data?: T; response?: Response };

/** The data of an SDK answer, or an error saying what OpenCode answered. */
async function read<T>(call: Promise<Result<T>>, what: string): Promise<T> {
  const { data, response } = await call.catch(() => ({ data: undefined, response: undefined }));
  if (data === undefined || (response && !response.ok)) {
    throw new Error(
      `Cannot read ${what} (${response ? `OpenCode answered ${response.status}` : "no answer"})`,
    );
  }
  return data;
}

interface Opened {
  path: string;
  line?: number;
  serial?: number;
}

export function FilesTab(
  { directory, onMention, changes }: {
    directory: string;
    onMention(path: string): void;
    /** Changes when the session changes files: git's marks are read again. */
    changes: string;
  },
) {
  const client = getProjectClient(directory);
  const [statuses, setStatuses] = useState<Map<string, FileStatus["status"]>>(new Map());
  const [opened, setOpened] = useState<Opened | undefined>(fileRequest.peek());
  const [query, setQuery] = useState("");
  /** `Refresh`: the tree and the marks read again. */
  const [reading, setReading] = useState(0);

  // A file asked for elsewhere on the page (a tool card, a diff, the Changes list).
  useEffect(() =>
    fileRequest.subscribe((request) => {
      if (request) setOpened({ ...request });
    }), []);
  useEffect(() => {
    // `vcs.status` (git's own view): `file.status` answers an empty list in OpenCode 1.18.
    read(client.vcs.status(), "git's status").then(
      (files) => setStatuses(new Map(files.map((file) => [file.file, file.status]))),
      () => {/* the tree is still useful without marks */},
    );
  }, [directory, changes, reading]);

  return (
    <div class="files-tab">
      <div class="files-side" hidden={Boolean(opened)}>
        <div class="files-head">
          <label class="find-file">
            <span class="visually-hidden">Find file</span>
            <input
              type="search"
              placeholder="Find file"
              value={query}
              onInput={(event) => setQuery(event.currentTarget.value)}
            />
          </label>
          <button type="button" class="button small" onClick={() => setReading(reading + 1)}>
            Refresh
          </button>
        </div>
        {query.trim()
          ? <FindResults directory={directory} query={query.trim()} onOpen={setOpened} />
          : (
            <Folder
              key={reading}
              directory={directory}
              path=""
              statuses={statuses}
              onOpen={(path) => setOpened({ path })}
            />
          )}
      </div>
      {opened && (
        <OpenedFile
          key={`${opened.path}`}
          directory={directory}
          opened={opened}
          status={statuses.get(opened.path)}
          onClose={() => setOpened(undefined)}
          onMention={onMention}
        />
      )}
    </div>
  );
}

/** Whether any file under `folder` has a git mark. */
function changedUnder(folder: string, statuses: Map<string, unknown>): boolean {
  const prefix = `${folder}/`;
  for (const path of statuses.keys()) if (path.startsWith(prefix)) return true;
  return false;
}

function StatusMark({ status }: { status?: FileStatus["status"] }) {
  if (!status) return null;
  return (
    <span class={`file-mark ${status}`} title={status}>
      <span aria-hidden="true">{STATUS_MARKS[status]}</span>
      <span class="visually-hidden">({status})</span>
    </span>
  );
}

/** A folder's entries, read when it is drawn (opened). */
function Folder(
  { directory, path, statuses, onOpen }: {
    directory: string;
    path: string;
    statuses: Map<string, FileStatus["status"]>;
    onOpen(path: string): void;
  },
) {
  const [nodes, setNodes] = useState<FileNode[]>();
  const [problem, setProblem] = useState("");
  const [expanded, setExpanded] = useState<Set<string>>(new Set());
  const load = () => {
    setProblem("");
    read(getProjectClient(directory).file.list({ path: path || "." }), path || "the project")
      .then((list) =>
        setNodes(
          // Git's own folder is not the project's content (OpenCode lists it).
          list.filter((node) => node.name !== ".git").sort((a, b) =>
            a.type === b.type ? a.name.localeCompare(b.name) : a.type === "directory" ? -1 : 1
          ),
        ), (error) => setProblem((error as Error).message));
  };
  useEffect(load, [directory, path]);
  if (problem) {
    return (
      <p class="pane-error" role="alert">
        {problem} <button type="button" class="button small" onClick={load}>Try again</button>
      </p>
    );
  }
  if (!nodes) return <p class="muted pane-empty">Reading {path || "the project"}…</p>;
  if (nodes.length === 0) return <p class="muted file-tree-empty">Empty folder</p>;
  return (
    <ul class="file-tree" aria-label={path ? undefined : "Project files"}>
      {nodes.map((node) =>
        node.type === "directory"
          ? (
            <li key={node.path} class={node.ignored ? "ignored" : undefined}>
              <button
                type="button"
                class="file-tree-folder"
                aria-expanded={expanded.has(node.path)}
                onClick={() => {
                  const next = new Set(expanded);
                  if (!next.delete(node.path)) next.add(node.path);
                  setExpanded(next);
                }}
              >
                {node.name}/
              </button>
              {changedUnder(node.path, statuses) && (
                <span class="file-mark folder" title="has changes">
                  <span aria-hidden="true">•</span>
                  <span class="visually-hidden">(has changes)</span>
                </span>
              )}
              {expanded.has(node.path) && (
                <Folder
                  directory={directory}
                  path={node.path}
                  statuses={statuses}
                  onOpen={onOpen}
                />
              )}
            </li>
          )
          : (
            <li key={node.path} class={node.ignored ? "ignored" : undefined}>
              <button type="button" class="file-tree-file" onClick={() => onOpen(node.path)}>
                {node.name}
              </button>
              <StatusMark status={statuses.get(node.path)} />
            </li>
          )
      )}
    </ul>
  );
}

/** `Find file`'s answers, searched a moment after the last keystroke. */
function FindResults(
  { directory, query, onOpen }: { directory: string; query: string; onOpen(opened: Opened): void },
) {
  const [found, setFound] = useState<string[]>();
  const [problem, setProblem] = useState("");
  useEffect(() => {
    let current = true;
    const timer = setTimeout(() => {
      read(
        getProjectClient(directory).find.files({ query, dirs: "false", limit: FIND_LIMIT }),
        "the project's files",
      ).then((paths) => {
        if (current) {
          setProblem("");
          setFound(paths);
        }
      }, (error) => current && setProblem((error as Error).message));
    }, FIND_DELAY_MS);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [directory, query]);
  if (problem) return <p class="pane-error" role="alert">{problem}</p>;
  if (!found) return <p class="muted pane-empty">Searching…</p>;
  if (found.length === 0) return <p class="muted pane-empty">No file matches “{query}”.</p>;
  return (
    <ul class="file-tree find-results" aria-label="Files found">
      {found.map((path) => (
        <li key={path}>
          <button type="button" class="file-tree-file" onClick={() => onOpen({ path })}>
            {path}
          </button>
        </li>
      ))}
    </ul>
  );
}

/** What a read file shows: its text, or why not. */
type Shown = { text: string } | { note: string };

function shownOf(content: FileContent): Shown {
  if (content.type === "binary" || content.encoding === "base64") {
    return {
      note: `This is a binary file${
        content.mimeType ? ` (${content.mimeType})` : ""
      }; it is not shown.`,
    };
  }
  if (content.content.length > LARGEST_SHOWN) {
    return {
      note: `This file is too large to show here (${
        formatBytes(content.content.length)
      }); open it in your editor.`,
    };
  }
  if (content.content.includes("\u0000")) {
    return { note: "This is a binary file; it is not shown." };
  }
  return { text: content.content };
}

function OpenedFile(
  { directory, opened, status, onClose, onMention }: {
    directory: string;
    opened: Opened;
    status?: FileStatus["status"];
    onClose(): void;
    onMention(path: string): void;
  },
) {
  const [shown, setShown] = useState<Shown>();
  useEffect(() => {
    let current = true;
    setShown(undefined);
    read(getProjectClient(directory).file.read({ path: opened.path }), opened.path).then(
      (content) => current && setShown(shownOf(content)),
      (error) => current && setShown({ note: (error as Error).message }),
    );
    return () => {
      current = false;
    };
  }, [directory, opened.path]);
  return (
    <div class="file-open">
      <div class="file-open-head">
        <button type="button" class="button small" onClick={onClose} aria-label="Back to files">
          ←
        </button>
        <h3 class="file-open-path">{opened.path}</h3>
        <StatusMark status={status} />
        <button type="button" class="button small" onClick={() => onMention(opened.path)}>
          Mention
        </button>
      </div>
      {!shown && <p class="muted pane-empty">Reading {opened.path}…</p>}
      {shown && "note" in shown && <p class="file-note" role="status">{shown.note}</p>}
      {shown && "text" in shown && (
        <FileViewer
          path={opened.path}
          text={shown.text}
          line={opened.line}
          serial={opened.serial}
        />
      )}
    </div>
  );
}
