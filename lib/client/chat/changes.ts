/**
 * What a session changed, as data the Changes panel and the diff viewer draw: the files with
 * their added and removed line counts and patches (from a `session.diff` list, the session's own
 * `summary.diffs`, or, as OpenCode 1.18 records them, each user message's `summary.diffs`, one
 * turn at a time), a unified patch split into typed lines, side-by-side rows, and the
 * highlighting language of a path. Pure functions, tested in `changes_test.ts`.
 */

import { parsePatch as parseUnifiedPatch, type StructuredPatch } from "diff";

/** One changed file as OpenCode reports it (`SnapshotFileDiff`, `VcsFileDiff`). */
export interface FileDiffInput {
  file?: string;
  patch?: string;
  additions?: number;
  deletions?: number;
  status?: "added" | "deleted" | "modified";
}

/** A changed file with every patch that touched it, oldest first. */
export interface ChangedFile {
  file: string;
  additions: number;
  deletions: number;
  status: "added" | "deleted" | "modified";
  /** One patch per turn that changed the file (or one for a whole-session diff). */
  patches: string[];
}

/** A message as far as changes go: its id, role and `summary.diffs` when a user turn has them. */
export interface MessageLike {
  id: string;
  role: string;
  summary?: unknown;
}

/**
 * The files a session changed: each user message's diffs joined in order, skipping messages at or
 * after `revertedFrom` (their changes were undone). Only when no message has diffs (other OpenCode
 * versions) does a session-wide list count (a `session.diff` event or the session's
 * `summary.diffs`), and not while reverted: OpenCode 1.18 sends the revert's own diff then.
 *
 * @example
 * ```ts
 * const files = sessionChanges(undefined, messages.map((m) => m.info), session.revert?.messageID);
 * ```
 */
export function sessionChanges(
  sessionWide: FileDiffInput[] | undefined,
  messages: MessageLike[],
  revertedFrom?: string,
): ChangedFile[] {
  const turns: FileDiffInput[][] = [];
  for (const message of messages) {
    if (message.role !== "user") continue;
    if (revertedFrom && message.id >= revertedFrom) continue;
    const diffs = (message.summary as { diffs?: unknown } | undefined)?.diffs;
    if (Array.isArray(diffs) && diffs.length) turns.push(diffs as FileDiffInput[]);
  }
  if (turns.length === 0 && !revertedFrom && sessionWide?.length) return joinDiffs([sessionWide]);
  return joinDiffs(turns);
}

/** Joins lists of file diffs (one per turn) into one entry per file, in first-seen order. */
export function joinDiffs(turns: FileDiffInput[][]): ChangedFile[] {
  const byFile = new Map<string, ChangedFile>();
  for (const turn of turns) {
    for (const diff of turn) {
      const file = diff.file ?? "";
      if (!file) continue;
      const status = diff.status ?? "modified";
      const known = byFile.get(file);
      if (!known) {
        byFile.set(file, {
          file,
          additions: diff.additions ?? 0,
          deletions: diff.deletions ?? 0,
          status,
          patches: diff.patch ? [diff.patch] : [],
        });
        continue;
      }
      known.additions += diff.additions ?? 0;
      known.deletions += diff.deletions ?? 0;
      // Added then modified is still added; anything then deleted is deleted.
      known.status = status === "deleted" ? "deleted" : known.status === "added" ? "added" : status;
      if (diff.patch) known.patches.push(diff.patch);
    }
  }
  return [...byFile.values()];
}

/** A line of a diff: kind, text, and its numbers in the old and new file. */
export interface DiffLine {
  kind: "add" | "del" | "same" | "hunk" | "meta";
  text: string;
  oldNumber?: number;
  newNumber?: number;
}

/** What a patch holds beyond lines: a binary file has none to show. */
export interface ParsedPatch {
  lines: DiffLine[];
  binary: boolean;
}

/** A hunk's header line, as the patch has it (jsdiff keeps only its numbers). */
const HUNK_HEADER = /^@@ -\d+(?:,\d+)? \+\d+(?:,\d+)? @@/;

/**
 * A unified patch (git's or jsdiff's, one file or several) as typed, numbered lines, read by
 * jsdiff's `parsePatch`. Headers (`diff --git`, `Index:`, `===`, `---`, `+++`) are dropped; hunk
 * headers stay as `hunk` lines, as the patch wrote them. A patch jsdiff cannot read has no lines.
 *
 * @example
 * ```ts
 * parsePatch("@@ -1 +1 @@\n-a\n+b\n").lines.map((line) => line.kind); // ["hunk", "del", "add"]
 * ```
 */
export function parsePatch(patch: string): ParsedPatch {
  let files: StructuredPatch[];
  try {
    files = parseUnifiedPatch(patch);
  } catch {
    return { lines: [], binary: false };
  }
  const headers = patch.split("\n").filter((line) => HUNK_HEADER.test(line));
  const lines: DiffLine[] = [];
  let binary = false;
  for (const file of files) {
    if (file.isBinary) binary = true;
    for (const hunk of file.hunks) {
      let oldNumber = hunk.oldStart;
      let newNumber = hunk.newStart;
      lines.push({ kind: "hunk", text: headers.shift() ?? "" });
      for (const text of hunk.lines) {
        if (text.startsWith("+")) {
          lines.push({ kind: "add", text: text.slice(1), newNumber: newNumber++ });
        } else if (text.startsWith("-")) {
          lines.push({ kind: "del", text: text.slice(1), oldNumber: oldNumber++ });
        } else if (text.startsWith("\\")) lines.push({ kind: "meta", text });
        else {
          lines.push({
            kind: "same",
            text: text.slice(1),
            oldNumber: oldNumber++,
            newNumber: newNumber++,
          });
        }
      }
    }
  }
  return { lines, binary };
}

/** A row of the side-by-side view: the old line on the left, the new on the right. */
export interface SplitRow {
  left?: DiffLine;
  right?: DiffLine;
  /** A hunk header or a meta line across both sides. */
  full?: DiffLine;
}

/**
 * Pairs a unified diff's lines side by side: unchanged lines on both sides, a run of removed lines
 * next to the run of added lines that follows it.
 */
export function splitRows(lines: DiffLine[]): SplitRow[] {
  const rows: SplitRow[] = [];
  let index = 0;
  while (index < lines.length) {
    const line = lines[index];
    if (line.kind === "same") {
      rows.push({ left: line, right: line });
      index++;
    } else if (line.kind === "hunk" || line.kind === "meta") {
      rows.push({ full: line });
      index++;
    } else {
      const removed: DiffLine[] = [];
      const added: DiffLine[] = [];
      while (lines[index]?.kind === "del") removed.push(lines[index++]);
      while (lines[index]?.kind === "add") added.push(lines[index++]);
      for (let row = 0; row < Math.max(removed.length, added.length); row++) {
        rows.push({ left: removed[row], right: added[row] });
      }
    }
  }
  return rows;
}

const LANGUAGE_BY_EXTENSION: Record<string, string> = {
  ts: "typescript",
  tsx: "typescript",
  mts: "typescript",
  cts: "typescript",
  js: "javascript",
  jsx: "javascript",
  mjs: "javascript",
  cjs: "javascript",
  json: "json",
  jsonc: "json",
  md: "markdown",
  py: "python",
  rs: "rust",
  go: "go",
  css: "css",
  html: "xml",
  xml: "xml",
  svg: "xml",
  yml: "yaml",
  yaml: "yaml",
  sh: "bash",
  bash: "bash",
  sql: "sql",
};

/** The highlight.js language of a file, or `undefined` for plain text. */
export function languageOf(path: string): string | undefined {
  const name = path.slice(path.lastIndexOf("/") + 1);
  const dot = name.lastIndexOf(".");
  return dot > 0 ? LANGUAGE_BY_EXTENSION[name.slice(dot + 1).toLowerCase()] : undefined;
}
