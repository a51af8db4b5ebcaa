/**
 * File changes as a line diff: an `edit` tool's old and new text compared with jsdiff's
 * `diffLines`, a `write` as all-new lines, and an `apply_patch` patch shown line by line.
 * Lines are rendered as text (escaped by Preact), marked added or removed.
 */

import { diffLines } from "diff";

type Line = { kind: "add" | "del" | "same" | "meta"; text: string };

const MAX_LINES = 400;
/** More lines than fit the box's height: it scrolls, so it takes keyboard focus to scroll it. */
export const SCROLL_LINES = 20;

function splitLines(text: string): string[] {
  const lines = text.split("\n");
  if (lines.at(-1) === "") lines.pop();
  return lines;
}

/** The lines of a change between two texts. */
export function changeLines(before: string, after: string): Line[] {
  const lines: Line[] = [];
  for (const change of diffLines(before, after)) {
    const kind = change.added ? "add" : change.removed ? "del" : "same";
    for (const text of splitLines(change.value)) lines.push({ kind, text });
  }
  return lines;
}

/**
 * The lines of an `apply_patch` tool's patch, classified by their first character. That is
 * OpenCode's own patch format (`*** Begin Patch`, `*** Update File: …`, `@@` without line
 * numbers), not a unified diff: jsdiff's `parsePatch` (which reads the Changes panel's patches,
 * `lib/client/chat/changes.ts`) finds no hunk in it, so it is shown line by line as written.
 */
export function patchLines(patch: string): Line[] {
  return splitLines(patch).map((text) => ({
    kind: text.startsWith("+") && !text.startsWith("+++")
      ? "add"
      : text.startsWith("-") && !text.startsWith("---")
      ? "del"
      : /^(\*\*\*|@@|---|\+\+\+|diff )/.test(text)
      ? "meta"
      : "same",
    text,
  }));
}

const MARK = { add: "+", del: "-", same: " ", meta: "" } as const;

export function DiffView({ lines, label }: { lines: Line[]; label: string }) {
  const shown = lines.slice(0, MAX_LINES);
  return (
    <pre
      class="diff"
      role="figure"
      aria-label={label}
      tabIndex={shown.length > SCROLL_LINES ? 0 : undefined}
    >
      {shown.map((line, index) => (
        <span key={index} class={`diff-line diff-${line.kind}`}>
          {line.kind === "meta" ? line.text : `${MARK[line.kind]} ${line.text}`}
          {"\n"}
        </span>
      ))}
      {lines.length > MAX_LINES && <span class="diff-line diff-meta">… {lines.length - MAX_LINES} more lines</span>}
    </pre>
  );
}
