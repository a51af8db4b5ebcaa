/**
 * One file's diff, for the Changes panel: unified, or side by side on wide screens (`Split view`),
 * with line numbers and syntax highlighting by file type. Only the rows in view (and a few around
 * them) are in the page, each highlighted when it first shows, so a 5,000-line diff opens and
 * scrolls without long frames. A binary file, a deleted file and a diff without lines each say so
 * in words.
 */

import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import { type DiffLine, languageOf, parsePatch, type SplitRow, splitRows } from "./changes.ts";
import { highlightCode } from "../ui/markdown.ts";

/** Height of one row in pixels; `.diff-viewer .dl` in app.css has the same line height. */
export const ROW_HEIGHT = 20;
/** Rows drawn above and below the visible ones. */
const OVERSCAN = 30;
/** Wide enough for two columns of code. */
const WIDE = "(min-width: 1100px)";

export interface DiffViewerProps {
  path: string;
  /** The file's patches, oldest first (one per turn that changed it). */
  patches: string[];
  status?: "added" | "deleted" | "modified";
}

const MARK = { add: "+", del: "-", same: " ", hunk: "", meta: "" } as const;

function useWideScreen(): boolean {
  const [wide, setWide] = useState(false);
  useEffect(() => {
    const query = matchMedia(WIDE);
    setWide(query.matches);
    const onChange = () => setWide(query.matches);
    query.addEventListener("change", onChange);
    return () => query.removeEventListener("change", onChange);
  }, []);
  return wide;
}

/** Highlighted HTML of one line, cached: a line is highlighted once, when first drawn. */
function useHighlighter(path: string): (text: string) => string {
  return useMemo(() => {
    const language = languageOf(path);
    const cache = new Map<string, string>();
    return (text: string) => {
      if (!language) return "";
      let html = cache.get(text);
      if (html === undefined) {
        html = highlightCode(text, language);
        cache.set(text, html);
      }
      return html;
    };
  }, [path]);
}

function Code({ line, highlight }: { line: DiffLine; highlight: (text: string) => string }) {
  const html = line.kind === "hunk" || line.kind === "meta" ? "" : highlight(line.text);
  return html
    ? <code class="dl-code" dangerouslySetInnerHTML={{ __html: html }} />
    : <code class="dl-code">{line.text}</code>;
}

function UnifiedRow({ line, highlight }: { line: DiffLine; highlight: (text: string) => string }) {
  return (
    <div class={`dl dl-${line.kind}`}>
      <span class="dl-num">{line.oldNumber ?? ""}</span>
      <span class="dl-num">{line.newNumber ?? ""}</span>
      <span class="dl-mark">{MARK[line.kind]}</span>
      <Code line={line} highlight={highlight} />
    </div>
  );
}

function Half({ line, highlight }: { line?: DiffLine; highlight: (text: string) => string }) {
  if (!line) return <span class="dl-half dl-empty" />;
  return (
    <span class={`dl-half dl-${line.kind}`}>
      <span class="dl-num">{line.kind === "add" ? line.newNumber : line.oldNumber}</span>
      <span class="dl-mark">{MARK[line.kind]}</span>
      <Code line={line} highlight={highlight} />
    </span>
  );
}

function SplitRowView({ row, highlight }: { row: SplitRow; highlight: (text: string) => string }) {
  if (row.full) return <UnifiedRow line={row.full} highlight={highlight} />;
  return (
    <div class="dl dl-split">
      <Half line={row.left} highlight={highlight} />
      <Half line={row.right} highlight={highlight} />
    </div>
  );
}

/**
 * A file's diff, drawn a window of rows at a time.
 *
 * @example
 * ```tsx
 * <DiffViewer path="src/app.ts" patches={[patch]} status="modified" />
 * ```
 */
/** The file's lines a diff shows (its hunk headers and `\ No newline` notes are not lines). */
export function lineCount(lines: DiffLine[]): number {
  return lines.filter((line) => line.kind !== "hunk" && line.kind !== "meta").length;
}

export function DiffViewer({ path, patches, status }: DiffViewerProps) {
  const parsed = useMemo(() => {
    const all = patches.map(parsePatch);
    return {
      lines: all.flatMap((patch) => patch.lines),
      binary: all.some((patch) => patch.binary),
    };
  }, [patches]);
  const wide = useWideScreen();
  const [split, setSplit] = useState(false);
  const rows = useMemo(
    () => (split && wide ? splitRows(parsed.lines) : parsed.lines),
    [parsed, split, wide],
  );
  const count = lineCount(parsed.lines);
  const highlight = useHighlighter(path);
  const scroller = useRef<HTMLDivElement>(null);
  const [view, setView] = useState({ top: 0, height: 800 });
  useEffect(() => {
    const element = scroller.current;
    if (!element) return;
    let frame = 0;
    const measure = () => {
      frame = 0;
      setView({ top: element.scrollTop, height: element.clientHeight || 800 });
    };
    const onScroll = () => {
      if (!frame) frame = requestAnimationFrame(measure);
    };
    measure();
    element.addEventListener("scroll", onScroll, { passive: true });
    return () => {
      element.removeEventListener("scroll", onScroll);
      cancelAnimationFrame(frame);
    };
  }, [rows]);

  const label = `Diff of ${path}`;
  if (parsed.binary) {
    return (
      <p class="diff-viewer-note" role="note" aria-label={label}>
        {path} is a binary file: there are no lines to compare.
      </p>
    );
  }
  if (parsed.lines.length === 0) {
    return (
      <p class="diff-viewer-note" role="note" aria-label={label}>
        {status === "deleted"
          ? `${path} was deleted (it was empty, so there are no lines to show).`
          : `${path} has no line changes to show.`}
      </p>
    );
  }
  const first = Math.max(0, Math.floor(view.top / ROW_HEIGHT) - OVERSCAN);
  const last = Math.min(rows.length, Math.ceil((view.top + view.height) / ROW_HEIGHT) + OVERSCAN);
  const shown = rows.slice(first, last);
  return (
    <div class="diff-viewer">
      <div class="diff-viewer-bar">
        {status === "deleted" && <span class="diff-viewer-status">Deleted file</span>}
        {status === "added" && <span class="diff-viewer-status">New file</span>}
        <span class="muted">
          {count.toLocaleString("en")} {count === 1 ? "line" : "lines"}
        </span>
        {wide && (
          <button
            type="button"
            class="button"
            aria-pressed={split}
            onClick={() => setSplit(!split)}
          >
            Split view
          </button>
        )}
      </div>
      <div
        class={`diff-viewer-scroll${split && wide ? " split" : ""}`}
        ref={scroller}
        role="region"
        aria-label={label}
        tabIndex={0}
      >
        <div class="diff-viewer-space" style={{ height: `${rows.length * ROW_HEIGHT}px` }}>
          <div
            class="diff-viewer-rows"
            style={{ transform: `translateY(${first * ROW_HEIGHT}px)` }}
          >
            {split && wide
              ? (shown as SplitRow[]).map((row, index) => (
                <SplitRowView key={first + index} row={row} highlight={highlight} />
              ))
              : (shown as DiffLine[]).map((line, index) => (
                <UnifiedRow key={first + index} line={line} highlight={highlight} />
              ))}
          </div>
        </div>
      </div>
    </div>
  );
}
