import assert from "node:assert/strict";
import { renderMarkdown, renderMarkdownBlocks } from "./markdown.ts";

Deno.test("renderMarkdown renders Markdown and never passes raw HTML through", () => {
  const html = renderMarkdown(
    "# Title\n\n- **bold** item\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n```ts\nconst x = 1 < 2;\n```\n" +
      '<img src=x onerror="alert(1)"> <script>alert(2)</script>\n\n[ok](https://example.com) [bad](javascript:alert(3))',
  );
  assert.match(html, /<h1>Title<\/h1>/);
  assert.match(html, /<strong>bold<\/strong>/);
  assert.match(html, /<table>/);
  assert.match(html, /<code class="language-ts"><span class="hljs-keyword">const<\/span> x = /);
  assert.match(html, /&lt; <span class="hljs-number">2<\/span>;/);
  assert.ok(!html.includes("<img"), html);
  assert.ok(!html.includes("<script"), html);
  assert.match(html, /&lt;script&gt;alert\(2\)&lt;\/script&gt;/);
  assert.match(
    html,
    /<a href="https:\/\/example.com" target="_blank" rel="noopener noreferrer nofollow">ok<\/a>/,
  );
  assert.ok(!html.includes('href="javascript:'), html);
});

Deno.test("renderMarkdown escapes HTML inside highlighted code", () => {
  const html = renderMarkdown(
    "```html\n<script>alert(1)</script>\n```\n\n```nolang\n<b>x</b>\n```",
  );
  assert.ok(!html.includes("<script>"), html);
  assert.ok(!html.includes("<b>"), html);
  assert.match(html, /&lt;<span class="hljs-name">script<\/span>&gt;/);
});

Deno.test("renderMarkdownBlocks splits the same HTML at top-level blocks", () => {
  const text = "# Title\n\nSee [the docs][docs].\n\n- one\n- two\n  - nested\n\n---\n\n" +
    "```ts\nconst x = 1;\n```\n\n> quoted\n> text\n\n| a |\n|---|\n| 1 |\n\n" +
    "[docs]: https://example.com\n\nStill stream";
  const blocks = renderMarkdownBlocks(text);
  assert.equal(blocks.join(""), renderMarkdown(text));
  assert.equal(blocks.length, 8);
  assert.match(blocks[1], /^<p>See <a href="https:\/\/example.com"/, "references resolve");
  assert.equal(blocks[7], "<p>Still stream</p>\n");
  assert.deepEqual(renderMarkdownBlocks(""), []);
});

Deno.test("fenced code has a head with its language, escaped, and a Copy button", () => {
  const html = renderMarkdown('```ts"><img>\nconst x = 1;\n```\n\n```\nplain\n```');
  assert.match(html, /<span class="code-language">ts&quot;&gt;&lt;img&gt;<\/span>/);
  assert.match(html, /<span class="code-language">text<\/span>/);
  assert.equal(html.match(/<button type="button" class="code-copy">Copy<\/button>/g)?.length, 2);
  assert.ok(!html.includes("<img>"), html);
});
