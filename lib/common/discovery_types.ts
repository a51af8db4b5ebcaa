/**
 * The shapes discovery hands to pages, whatever the storage format: {@linkcode Project},
 * {@linkcode SessionSummary}, messages (`message.ts`), and the {@linkcode DiscoveryStore}
 * interface both the SQLite and the legacy JSON readers implement.
 */

import type { MessageWithParts } from "./message.ts";

export interface Project {
  /** OpenCode's project id, or `global:<base64url(directory)>` for a folder without git. */
  id: string;
  name: string;
  worktree: string;
  vcs: string | null;
  /** Root sessions that are not archived. */
  sessionCount: number;
  /** Epoch milliseconds of the latest change to the project or any of its sessions. */
  lastActivity: number;
  /** The folders of the project's git worktrees OpenCode made (its `sandboxes`). */
  sandboxes?: string[];
}

/** A session's changed files and lines (an Undo's changes left out). */
export interface ChangeFigures {
  files: number;
  additions: number;
  deletions: number;
}

export interface SessionSummary extends ChangeFigures {
  id: string;
  /** The Palot project id (see {@linkcode Project.id}). */
  projectID: string;
  directory: string;
  title: string;
  parentID: string | null;
  created: number;
  updated: number;
  archived: boolean;
  /** Sub-agent sessions started from this one. */
  childCount: number;
  cost: number;
  /** While an Undo is in effect: the first message it hides (OpenCode's `revert.messageID`). */
  revertMessageID?: string;
}

export interface ListSessionsOptions {
  /** At most this many (default 50). */
  limit?: number;
  offset?: number;
  /** Include archived sessions (default false). */
  archived?: boolean;
}

/** Read-only access to OpenCode's storage. */
export interface DiscoveryStore {
  readonly kind: "sqlite" | "legacy" | "missing";
  readonly dataDir: string;
  /**
   * Set when OpenCode's storage cannot be read and projects come from OpenCode's API instead: why,
   * in words for the user (`lib/server/discovery/api_fallback.ts`).
   */
  readonly apiFallback?: string;
  /** Every project, newest activity first. */
  listProjects(): Project[];
  getProject(projectId: string): Project | undefined;
  /** A project's root sessions, newest first. */
  listSessions(
    projectId: string,
    options?: ListSessionsOptions,
  ): { sessions: SessionSummary[]; hasMore: boolean };
  getSession(sessionId: string): SessionSummary | undefined;
  /** Sub-agent sessions of a session, oldest first. */
  listChildren(sessionId: string): SessionSummary[];
  /** Messages oldest first; with `limit`, the newest `limit` of them. */
  listMessages(sessionId: string, options?: { limit?: number }): MessageWithParts[];
  /** How many messages a session has from `messageId` (included) to its end; 0 when not found. */
  countMessagesFrom(sessionId: string, messageId: string): number;
  /**
   * The most recently updated sessions of every project, sub-agent sessions too, newest first;
   * a bounded read (SQLite: among the sessions written last), whatever the number of sessions.
   */
  recentSessions(limit: number): SessionSummary[];
  /**
   * The text of the user's own messages in a project's most recent sessions, newest first, without
   * repeats in a row (the composer's history).
   */
  listPrompts(projectId: string, options?: { limit?: number }): string[];
  /** Distinct session directories updated since `sinceMs`, newest first. */
  recentDirectories(sinceMs: number): string[];
  close(): void;
}

export const GLOBAL_PROJECT = "global";

/** The Palot id of a folder of OpenCode's `global` project. */
export function globalProjectId(directory: string): string {
  const bytes = new TextEncoder().encode(directory);
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return `global:${btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "")}`;
}

/** The folder of a `global:` id, or `undefined` when the id is not one. */
export function globalProjectDirectory(projectId: string): string | undefined {
  if (!projectId.startsWith("global:")) return undefined;
  try {
    const base64 = projectId.slice(7).replace(/-/g, "+").replace(/_/g, "/");
    const binary = atob(base64);
    return new TextDecoder("utf-8", { fatal: true }).decode(
      Uint8Array.from(binary, (char) => char.charCodeAt(0)),
    );
  } catch {
    return undefined;
  }
}

/** Sessions whose prompts {@linkcode DiscoveryStore.listPrompts} reads. */
export const PROMPT_SESSIONS = 30;

/** `texts` without repeats in a row, at most `limit` of them. */
export function promptList(texts: Iterable<string>, limit: number): string[] {
  const prompts: string[] = [];
  for (const text of texts) {
    if (prompts.length >= limit) break;
    if (text.trim() && text !== prompts.at(-1)) prompts.push(text);
  }
  return prompts;
}

/** The last segment of a path, for display. */
export function baseName(path: string): string {
  const trimmed = path.replace(/[\\/]+$/, "");
  return trimmed.slice(Math.max(trimmed.lastIndexOf("/"), trimmed.lastIndexOf("\\")) + 1) || path;
}

/** OpenCode's `sandboxes` (a project row's column or JSON field) (a JSON list of worktree folders) as paths; none when unreadable. */
export function sandboxList(value: unknown): string[] {
  try {
    const list = typeof value === "string" ? JSON.parse(value) : value;
    return Array.isArray(list) ? list.filter((item) => typeof item === "string") : [];
  } catch {
    return [];
  }
}
