/**
 * Highlighted code cut into lines for the file viewer, which draws only the lines in view: the
 * highlighter's HTML of a whole file has spans that cross line ends (a block comment, a string),
 * so each line closes the spans still open at its end and the next reopens them.
 */

/**
 * `html` (highlight.js output: text escaped, only `<span class="…">` and `</span>` tags) as one
 * self-contained HTML string per line.
 *
 * @example
 * ```ts
 * splitHighlighted('<span class="c">/* a\nb *&#47;</span>');
 * // ['<span class="c">/* a</span>', '<span class="c">b *&#47;</span>']
 * ```
 */
export function splitHighlighted(html: string): string[] {
  const lines: string[] = [];
  const open: string[] = [];
  let line = "";
  const tag = /<span[^>]*>|<\/span>|\n/g;
  let last = 0;
  for (let match = tag.exec(html); match; match = tag.exec(html)) {
    line += html.slice(last, match.index);
    last = tag.lastIndex;
    const token = match[0];
    if (token === "\n") {
      lines.push(line + "</span>".repeat(open.length));
      line = open.join("");
    } else if (token === "</span>") {
      open.pop();
      line += token;
    } else {
      open.push(token);
      line += token;
    }
  }
  lines.push(line + html.slice(last) + "</span>".repeat(open.length));
  return lines;
}
