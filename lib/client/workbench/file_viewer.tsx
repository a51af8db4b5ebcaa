/**
 * A file's text in the Files tab: highlighted by the highlighter the chat uses, with line numbers,
 * and only the lines in view drawn (a file of tens of thousands of lines opens and scrolls without
 * stalling). A file small enough is highlighted whole, so comments and strings spanning lines are
 * right; a larger one line by line as each comes into view.
 */

import { useEffect, useLayoutEffect, useMemo, useRef, useState } from "preact/hooks";
import { languageOf } from "../chat/changes.ts";
import { highlightCode } from "../ui/markdown.ts";
import { splitHighlighted } from "./highlight_lines.ts";

/** Each line's height in pixels (the stylesheet's `.file-line` has the same). */
export const LINE_HEIGHT = 20;
/** Lines drawn above and below the view, so a fast scroll shows no blank. */
const OVERSCAN = 30;
/** Files up to this size are highlighted at once; larger ones per line drawn. */
const WHOLE_FILE_CHARS = 200_000;

const escapeHtml = (text: string) =>
  text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/** The HTML of each line, computed when first drawn. */
function lineRenderer(path: string, text: string): { count: number; html(index: number): string } {
  const lines = text.split("\n");
  if (lines.length > 1 && lines.at(-1) === "") lines.pop();
  const language = languageOf(path);
  if (language && text.length <= WHOLE_FILE_CHARS) {
    const html = highlightCode(text, language);
    if (html) {
      const split = splitHighlighted(html);
      return { count: lines.length, html: (index) => split[index] ?? "" };
    }
  }
  const cache = new Map<number, string>();
  return {
    count: lines.length,
    html(index) {
      let html = cache.get(index);
      if (html === undefined) {
        const line = lines[index] ?? "";
        html = (language && line.length < 2_000 && highlightCode(line, language)) ||
          escapeHtml(line);
        cache.set(index, html);
      }
      return html;
    },
  };
}

export interface FileViewerProps {
  path: string;
  text: string;
  /** The line to show (1-based), marked. */
  line?: number;
  /** Changes when the same line is asked for again, to scroll there again. */
  serial?: number;
}

export function FileViewer({ path, text, line, serial }: FileViewerProps) {
  const lines = useMemo(() => lineRenderer(path, text), [path, text]);
  const scroller = useRef<HTMLDivElement>(null);
  const [top, setTop] = useState(0);
  const [height, setHeight] = useState(600);

  useEffect(() => {
    const element = scroller.current!;
    const observer = new ResizeObserver(() => setHeight(element.clientHeight || 600));
    observer.observe(element);
    return () => observer.disconnect();
  }, []);
  useLayoutEffect(() => {
    const element = scroller.current!;
    const target = line ? Math.max(0, (line - 1) * LINE_HEIGHT - element.clientHeight / 3) : 0;
    element.scrollTop = target;
    setTop(element.scrollTop);
  }, [path, text, line, serial]);

  const first = Math.max(0, Math.floor(top / LINE_HEIGHT) - OVERSCAN);
  const last = Math.min(lines.count, Math.ceil((top + height) / LINE_HEIGHT) + OVERSCAN);
  const gutter = `${String(lines.count).length + 1}ch`;
  const drawn = [];
  for (let index = first; index < last; index++) {
    drawn.push(
      <div
        key={index}
        class={index + 1 === line ? "file-line target" : "file-line"}
        data-line={index + 1}
      >
        <span class="file-line-number" style={{ width: gutter }}>{index + 1}</span>
        <code dangerouslySetInnerHTML={{ __html: lines.html(index) || " " }} />
      </div>,
    );
  }
  return (
    <div
      class="file-lines hljs"
      ref={scroller}
      tabIndex={0}
      role="region"
      aria-label={`Contents of ${path}`}
      onScroll={(event) => setTop(event.currentTarget.scrollTop)}
    >
      <div class="file-lines-space" style={{ height: `${lines.count * LINE_HEIGHT}px` }}>
        <div class="file-lines-drawn" style={{ transform: `translateY(${first * LINE_HEIGHT}px)` }}>
          {drawn}
        </div>
      </div>
    </div>
  );
}
