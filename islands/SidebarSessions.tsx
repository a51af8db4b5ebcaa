/**
 * The current project's sessions in the sidebar, live: each shows its status in words, titles
 * follow renames, changed files and lines follow turns, Undo and Redo, and sessions created
 * anywhere (another tab, another client) appear at the top.
 */

import { useComputed, useSignalEffect } from "@preact/signals";
import { followFigures, sessionFigures } from "../lib/client/live/session_figures.ts";
import { seedSessions, type SessionEntry, sessions } from "../lib/client/live/store.ts";
import { unread } from "../lib/client/live/attention.ts";
import { pageHref, pageServer } from "../lib/client/live/page_server.ts";
import { IS_BROWSER } from "../lib/client/ui/is_browser.ts";
import { SessionMeta, type SessionMetaFacts } from "../lib/client/ui/session_meta.tsx";
import { DoingLine, StatusBadge } from "../lib/client/ui/status_badge.tsx";
import { WorktreeTag } from "../lib/client/ui/worktree_tag.tsx";
import type { WorktreeLabels } from "../lib/common/worktree_labels.ts";

export interface SidebarSession {
  id: string;
  directory: string;
  title: string;
  updated: number;
  /** Changed files and lines, cost and last update, as the page read them. */
  facts?: SessionMetaFacts;
  status: SessionEntry["status"];
  waiting: number;
  /** While it works, what it does now. */
  doing?: string;
}

export interface SidebarSessionsProps {
  projectName: string;
  /** OpenCode's project id, or, for a folder without git, `undefined` and its `directory`. */
  opencodeProjectId?: string;
  directory: string;
  initial: SidebarSession[];
  currentSessionId?: string;
  /** The project's worktree folders, each session in one labelled with its branch. */
  worktrees?: WorktreeLabels;
}

const seededIds = new Set<string>();

function belongs(entry: SessionEntry, props: SidebarSessionsProps): boolean {
  // The page's machine only: another may have a project with the same id or folder.
  if (entry.parentID || entry.server !== pageServer()) return false;
  return props.opencodeProjectId
    ? entry.projectID === props.opencodeProjectId ||
      props.initial.some((row) => row.id === entry.id)
    : entry.directory === props.directory;
}

export default function SidebarSessions(props: SidebarSessionsProps) {
  if (IS_BROWSER) {
    const fresh = props.initial.filter((row) => !seededIds.has(row.id));
    fresh.forEach((row) => seededIds.add(row.id));
    if (fresh.length) {
      seedSessions(
        fresh.map(({ id, directory, title, status, doing }) => ({
          id,
          directory,
          title,
          status,
          doing,
          // The page's machine: its events' entries carry it, and `belongs` asks for it.
          server: pageServer(),
        })),
      );
    }
  }
  const rows = useComputed((): SidebarSession[] => {
    if (!IS_BROWSER) return props.initial;
    const initialById = new Map(props.initial.map((row) => [row.id, row]));
    return Object.values(sessions.value).filter((entry) => belongs(entry, props)).map((entry) => {
      const initial = initialById.get(entry.id);
      const updated = entry.info?.time.updated ?? initial?.updated ?? 0;
      const facts = initial?.facts ?? { files: 0, additions: 0, deletions: 0, cost: 0, updated };
      return {
        id: entry.id,
        directory: entry.directory,
        title: entry.title ?? initial?.title ?? "",
        updated,
        facts: {
          ...facts,
          ...sessionFigures.value[entry.id],
          cost: entry.info?.cost ?? facts.cost,
          updated,
        },
        status: entry.status,
        waiting: pendingCount(entry),
        doing: entry.doing,
      };
    }).sort((a, b) => b.updated - a.updated || (a.id < b.id ? 1 : -1)).slice(0, 50);
  });
  // A turn that ends, an Undo or a Redo: the row's figures are read again.
  useSignalEffect(() =>
    followFigures(
      Object.values(sessions.value).filter((entry) => belongs(entry, props)).map((entry) => ({
        id: entry.id,
        key: `${entry.status}:${entry.info?.revert?.messageID ?? ""}`,
      })),
    )
  );
  return (
    <ul class="session-nav" aria-label={`Sessions of ${props.projectName}`}>
      {rows.value.map((row) => (
        <li key={row.id}>
          <a
            href={pageHref(`/session/${encodeURIComponent(row.id)}`)}
            aria-current={row.id === props.currentSessionId ? "page" : undefined}
          >
            {row.title || "Untitled session"}
          </a>
          <WorktreeTag label={props.worktrees?.[row.directory]} project={false} />
          <StatusBadge status={row.status} waiting={row.waiting} unread={row.id in unread.value} />
          <DoingLine row={row} />
          {row.facts && <SessionMeta facts={row.facts} />}
        </li>
      ))}
    </ul>
  );
}

function pendingCount(entry: SessionEntry): number {
  const children = Object.values(sessions.value).filter((child) => child.parentID === entry.id);
  return [entry, ...children].reduce(
    (sum, item) => sum + item.permissions.length + item.questions.length,
    0,
  );
}
