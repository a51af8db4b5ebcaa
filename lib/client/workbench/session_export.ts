/**
 * `Export`: a session as a file to keep or share. JSON is OpenCode's own shapes, complete (the
 * session's info and every message with all its parts, as `session.get` and `session.messages`
 * answer); Markdown is for reading: each message's text, its tool calls summarised in a line each
 * (with the diff of an edit or the content of a write), attachments named, reasoning left out.
 */

import type { Message, Part, Session } from "@opencode-ai/sdk/v2/client";

export type ExportFormat = "markdown" | "json";
type Messages = { info: Message; parts: Part[] }[];
type Fields = Record<string, unknown>;

const text = (value: unknown) => typeof value === "string" ? value : "";

/** A fence longer than any run of backticks in `body`, so the block cannot be closed early. */
function fenced(body: string, language = ""): string {
  const longest = Math.max(2, ...[...body.matchAll(/`+/g)].map((run) => run[0].length));
  const fence = "`".repeat(longest + 1);
  return `${fence}${language}\n${body.replace(/\n$/, "")}\n${fence}`;
}

/** A unified diff of `before` → `after`, line by line (enough for reading; no context folding). */
function simpleDiff(before: string, after: string): string {
  const removed = before ? before.split("\n").map((line) => `-${line}`) : [];
  const added = after ? after.split("\n").map((line) => `+${line}`) : [];
  return [...removed, ...added].join("\n");
}

function toolMarkdown(part: Part & { type: "tool" }): string {
  const state = (part.state ?? {}) as Fields;
  const input = (state.input ?? {}) as Fields;
  const metadata = (state.metadata ?? {}) as Fields;
  const target = text(state.title) || text(input.description) || text(input.command) ||
    text(input.filePath) || text(input.pattern) || text(input.url) || text(input.query);
  const status = text(state.status) || "pending";
  const lines = [
    `- **${part.tool}**${target ? ` \`${target.replace(/`/g, "'")}\`` : ""}: ${status}`,
  ];
  if (status === "error" && text(state.error)) lines.push(`  - error: ${text(state.error)}`);
  const diff = text(metadata.diff) ||
    (part.tool === "edit" ? simpleDiff(text(input.oldString), text(input.newString)) : "") ||
    (part.tool === "write" ? simpleDiff("", text(input.content)) : "") ||
    (part.tool === "apply_patch" ? text(input.patchText) : "");
  if (diff) lines.push("", fenced(diff, "diff"), "");
  return lines.join("\n");
}

function partMarkdown(part: Part): string {
  switch (part.type) {
    case "text":
      return part.synthetic ? "" : part.text;
    case "tool":
      return toolMarkdown(part);
    case "file":
      return `- attached: ${part.filename || part.url}`;
    case "subtask":
      return `- sub-agent **${part.agent}**: ${part.description}`;
    default:
      return "";
  }
}

function heading(info: Message): string {
  const when = new Date(info.time.created).toISOString().replace("T", " ").slice(0, 16);
  if (info.role === "user") return `## User · ${when}`;
  const model = info.modelID ? ` · ${info.providerID}/${info.modelID}` : "";
  return `## Assistant (${info.agent ?? info.mode})${model} · ${when}`;
}

/**
 * The session as Markdown.
 *
 * @example
 * ```ts
 * sessionMarkdown(session, messages); // "# Fix the build\n\n…## User · 2026-01-02 10:00\n…"
 * ```
 */
export function sessionMarkdown(session: Session, messages: Messages): string {
  const out = [
    `# ${session.title || "Untitled session"}`,
    "",
    `Session \`${session.id}\` in \`${session.directory}\`, exported ${new Date().toISOString()}.`,
  ];
  for (const message of messages) {
    const body = message.parts.map(partMarkdown).filter(Boolean).join("\n\n").trim();
    const error = message.info.role === "assistant" && message.info.error
      ? `> Error: ${
        text((message.info.error.data as Fields | undefined)?.message) || message.info.error.name
      }`
      : "";
    if (!body && !error) continue;
    out.push("", heading(message.info), "", [body, error].filter(Boolean).join("\n\n"));
  }
  return `${out.join("\n")}\n`;
}

/** The session in OpenCode's own shapes. */
export function sessionJson(session: Session, messages: Messages): string {
  return `${JSON.stringify({ info: session, messages }, null, 2)}\n`;
}

/** A file name from the session's title (letters, digits and dashes). */
export function exportName(session: Session, format: ExportFormat): string {
  const slug = (session.title || "session").toLowerCase().replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "").slice(0, 60) || "session";
  return `${slug}.${format === "json" ? "json" : "md"}`;
}
