/**
 * A session's messages as HTML: user and assistant turns in order, text parts as sanitized
 * Markdown, reasoning collapsed, tool calls as a one-line summary with their state, files,
 * patches and step totals. Used by the server-rendered session page; browser-safe so the chat
 * island can render the same markup.
 */

import { renderMarkdown } from "./markdown.ts";

/** A message as OpenCode's `session.messages` returns it: `{info, parts}`. */
export interface MessageWithParts {
  info: { id: string; role: string; [key: string]: unknown };
  parts: { id: string; type: string; [key: string]: unknown }[];
}

type Part = MessageWithParts["parts"][number];

const asString = (value: unknown): string => typeof value === "string" ? value : "";

/** One line describing what a tool was asked to do (its command, file or pattern). */
export function toolInputSummary(input: unknown): string {
  if (!input || typeof input !== "object") return "";
  const fields = input as Record<string, unknown>;
  for (const key of ["description", "command", "filePath", "path", "pattern", "url", "query"]) {
    const value = asString(fields[key]);
    if (value) return value.length > 160 ? `${value.slice(0, 157)}…` : value;
  }
  return "";
}

function PartView({ part }: { part: Part }) {
  switch (part.type) {
    case "text":
      if (part.synthetic || !asString(part.text)) return null;
      return (
        <div
          class="part text markdown"
          dangerouslySetInnerHTML={{ __html: renderMarkdown(asString(part.text)) }}
        />
      );
    case "reasoning":
      return asString(part.text)
        ? (
          <details class="part reasoning">
            <summary>Reasoning</summary>
            <div
              class="markdown"
              dangerouslySetInnerHTML={{ __html: renderMarkdown(asString(part.text)) }}
            />
          </details>
        )
        : null;
    case "tool": {
      const state = (part.state ?? {}) as Record<string, unknown>;
      const status = asString(state.status) || "pending";
      return (
        <div class={`part tool tool-${status}`}>
          <span class="tool-name">{asString(part.tool)}</span>{" "}
          <span class="tool-input">{toolInputSummary(state.input)}</span>{" "}
          <span class={`badge ${status}`}>{status}</span>
          {status === "error" && asString(state.error) && (
            <div class="tool-error">{asString(state.error)}</div>
          )}
        </div>
      );
    }
    case "file":
      return <div class="part file">File: {asString(part.filename) || asString(part.url)}</div>;
    case "patch": {
      const files = Array.isArray(part.files) ? part.files.map(String) : [];
      return <div class="part patch">Changed {files.join(", ") || "files"}</div>;
    }
    default:
      return null;
  }
}

/** Tokens and cost of an assistant message, when it has any. */
function totals(info: MessageWithParts["info"]): string {
  const tokens = info.tokens as { input?: number; output?: number } | undefined;
  const cost = typeof info.cost === "number" ? info.cost : 0;
  const parts: string[] = [];
  if (tokens && (tokens.input || tokens.output)) {
    parts.push(`${tokens.input ?? 0} in · ${tokens.output ?? 0} out tokens`);
  }
  if (cost > 0) parts.push(`$${cost.toFixed(4)}`);
  return parts.join(" · ");
}

/** The error an assistant message ended with, in plain words. */
function messageError(info: MessageWithParts["info"]): string {
  const error = info.error as { name?: string; data?: { message?: string } } | undefined;
  if (!error) return "";
  return error.data?.message || error.name || "The request failed";
}

export function MessageView({ message }: { message: MessageWithParts }) {
  const { info } = message;
  const role = info.role === "user" ? "user" : "assistant";
  const summary = role === "assistant" ? totals(info) : "";
  const error = role === "assistant" ? messageError(info) : "";
  return (
    <article class={`message ${role}`} id={`message-${info.id}`} data-message-id={info.id}>
      <h3 class="message-role">{role === "user" ? "You" : "Assistant"}</h3>
      {message.parts.map((part) => <PartView key={part.id} part={part} />)}
      {error && <p class="message-error" role="alert">Error: {error}</p>}
      {summary && <p class="message-totals">{summary}</p>}
    </article>
  );
}

export function MessageList({ messages }: { messages: MessageWithParts[] }) {
  if (messages.length === 0) return <p class="muted">No messages yet.</p>;
  return (
    <div class="messages">
      {messages.map((message) => <MessageView key={message.info.id} message={message} />)}
    </div>
  );
}
