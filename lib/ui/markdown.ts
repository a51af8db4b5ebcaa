/**
 * Markdown for untrusted text (model replies, tool output), shared by server rendering and the
 * chat island. markdown-it runs with raw HTML disabled, so `<script>` or `<img onerror>` in a reply
 * comes out as visible text, and its link validation drops `javascript:`, `vbscript:`, `file:` and
 * non-image `data:` URLs. Links open in a new tab without a referrer or an opener.
 */

import MarkdownIt from "markdown-it";

const markdown = new MarkdownIt({ html: false, linkify: true, breaks: false });

const defaultLinkOpen = markdown.renderer.rules.link_open ??
  ((tokens, index, options, _env, self) => self.renderToken(tokens, index, options));
markdown.renderer.rules.link_open = (tokens, index, options, env, self) => {
  tokens[index].attrSet("target", "_blank");
  tokens[index].attrSet("rel", "noopener noreferrer nofollow");
  return defaultLinkOpen(tokens, index, options, env, self);
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
