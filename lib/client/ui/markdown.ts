/**
 * Markdown for untrusted text (model replies, tool output), shared by server rendering and the
 * chat island. markdown-it runs with raw HTML disabled, so `<script>` or `<img onerror>` in a reply
 * comes out as visible text, and its link validation drops `javascript:`, `vbscript:`, `file:` and
 * non-image `data:` URLs. Links open in a new tab without a referrer or an opener. Fenced code is
 * highlighted by highlight.js (a core build with the common languages), whose output escapes the
 * code it wraps, under a head with its language and a `Copy` button (made to work by
 * `lib/client/chat/copy_code.ts`; hidden until then, so a page without script shows no dead button).
 */

import MarkdownIt from "markdown-it";
import hljs from "highlight.js/lib/core";
import bash from "highlight.js/lib/languages/bash";
import css from "highlight.js/lib/languages/css";
import diff from "highlight.js/lib/languages/diff";
import go from "highlight.js/lib/languages/go";
import javascript from "highlight.js/lib/languages/javascript";
import json from "highlight.js/lib/languages/json";
import markdownLanguage from "highlight.js/lib/languages/markdown";
import python from "highlight.js/lib/languages/python";
import rust from "highlight.js/lib/languages/rust";
import sql from "highlight.js/lib/languages/sql";
import typescript from "highlight.js/lib/languages/typescript";
import xml from "highlight.js/lib/languages/xml";
import yaml from "highlight.js/lib/languages/yaml";

const LANGUAGES = {
  bash,
  css,
  diff,
  go,
  javascript,
  json,
  markdown: markdownLanguage,
  python,
  rust,
  sql,
  typescript,
  xml,
  yaml,
};
for (const [name, language] of Object.entries(LANGUAGES)) hljs.registerLanguage(name, language);

/**
 * `code` as highlighted, escaped HTML in `language`, or an empty string when the language is not
 * one of these (the caller then shows the text as it is).
 *
 * @example
 * ```ts
 * highlightCode("const a = 1;", "typescript"); // '<span class="hljs-keyword">const</span> a = …'
 * ```
 */
export function highlightCode(code: string, language: string | undefined): string {
  if (!language || !hljs.getLanguage(language)) return "";
  try {
    return hljs.highlight(code, { language, ignoreIllegals: true }).value;
  } catch {
    return "";
  }
}

const markdown = new MarkdownIt({
  html: false,
  linkify: true,
  breaks: false,
  highlight: highlightCode,
});

const defaultLinkOpen = markdown.renderer.rules.link_open ??
  ((tokens, index, options, _env, self) => self.renderToken(tokens, index, options));
markdown.renderer.rules.link_open = (tokens, index, options, env, self) => {
  tokens[index].attrSet("target", "_blank");
  tokens[index].attrSet("rel", "noopener noreferrer nofollow");
  return defaultLinkOpen(tokens, index, options, env, self);
};

const defaultFence = markdown.renderer.rules.fence!;
markdown.renderer.rules.fence = (tokens, index, options, env, self) => {
  const language = tokens[index].info.trim().split(/\s+/)[0];
  return `<div class="code-block"><div class="code-head"><span class="code-language">` +
    `${markdown.utils.escapeHtml(language || "text")}</span>` +
    `<button type="button" class="code-copy">Copy</button></div>` +
    // The code scrolls sideways when its lines are long: it takes focus to scroll by keyboard.
    `${defaultFence(tokens, index, options, env, self).replace(/^<pre>/, '<pre tabindex="0">')}` +
    `</div>\n`;
};

/**
 * Renders untrusted Markdown to safe HTML.
 *
 * @example
 * ```ts
 * renderMarkdown("**hi** <script>alert(1)</script>");
 * // "<p><strong>hi</strong> &lt;script&gt;alert(1)&lt;/script&gt;</p>\n"
 * ```
 */
export function renderMarkdown(text: string): string {
  return markdown.render(text);
}

/**
 * Renders untrusted Markdown to safe HTML, one string per top-level block (paragraph, list, code
 * block…), so a view can replace only the blocks that changed while a reply streams in. Joined,
 * the blocks equal {@linkcode renderMarkdown}'s output.
 *
 * @example
 * ```ts
 * renderMarkdownBlocks("# Title\n\nText");
 * // ["<h1>Title</h1>\n", "<p>Text</p>\n"]
 * ```
 */
export function renderMarkdownBlocks(text: string): string[] {
  const env = {};
  const tokens = markdown.parse(text, env);
  const blocks: string[] = [];
  let start = 0;
  for (let i = 0; i < tokens.length; i++) {
    // A top-level block ends with its closing token, or is a single token (fence, rule…).
    if (tokens[i].level === 0 && tokens[i].nesting <= 0) {
      blocks.push(markdown.renderer.render(tokens.slice(start, i + 1), markdown.options, env));
      start = i + 1;
    }
  }
  return blocks;
}
