/**
 * A session's messages as HTML: user and assistant turns in order, text parts as sanitized
 * Markdown, reasoning collapsed, tool calls as cards (a one-line header: icon, tool, target,
 * status and duration; then the output, whose first lines show and the rest folds behind
 * `Show all` when it is long, unless the tool is running or failed; file edits as a diff; a link
 * to a sub-agent's session), files, patches, token and cost totals, and errors in plain words. Used by the server-rendered
 * session page and by the chat island, so both show the same markup.
 */

import type { CommandInvocation } from "../../common/command_invocation.ts";
import type { ComponentChildren } from "preact";
import type { Message, Part, ToolPart } from "@opencode-ai/sdk/v2/client";
import type { MessageWithParts } from "../../common/message.ts";
import { changeLines, DiffView, patchLines, SCROLL_LINES } from "./tool_diff.tsx";
import { FilePart } from "./file_part.tsx";
import { formatDuration } from "./format.ts";
import * as icons from "./icons.tsx";
import { Icon } from "./icons.tsx";
import { renderMarkdownBlocks } from "./markdown.ts";
import { asString, errorText } from "../../common/values.ts";
import { pageHref } from "../live/page_server.ts";

type Fields = Record<string, unknown>;

const MAX_OUTPUT = 20_000;
/** Output longer than this many lines shows its first lines and folds the rest. */
export const FOLD_LINES = 10;

const TOOL_ICONS: Record<string, string> = {
  bash: icons.terminal,
  edit: icons.filePen,
  write: icons.filePlus,
  apply_patch: icons.fileDiff,
  read: icons.fileText,
  grep: icons.search,
  glob: icons.search,
  list: icons.listTree,
  task: icons.bot,
  webfetch: icons.globe,
  websearch: icons.globe,
  todowrite: icons.listTodo,
  todoread: icons.listTodo,
};

const STATUS_ICONS: Record<string, string> = {
  pending: icons.clock,
  running: icons.loader,
  completed: icons.circleCheck,
  error: icons.circleX,
};

/** One line describing what a tool was asked to do (its command, file or pattern). */
export function toolInputSummary(input: unknown): string {
  if (!input || typeof input !== "object") return "";
  const fields = input as Fields;
  for (
    const key of ["description", "command", "filePath", "path", "pattern", "url", "query", "prompt"]
  ) {
    const value = asString(fields[key]);
    if (value) return value.length > 160 ? `${value.slice(0, 157)}…` : value;
  }
  return "";
}

/**
 * A tool's text output. Long output (over {@linkcode FOLD_LINES} lines) shows its first lines and
 * the whole in a `<details>` whose summary is `Show all` (no script needed), unless `open`.
 */
function ToolOutput({ output, shell, open }: { output: string; shell: boolean; open: boolean }) {
  const shown = output.length > MAX_OUTPUT
    ? `${output.slice(0, MAX_OUTPUT)}\n… (${output.length - MAX_OUTPUT} more characters)`
    : output;
  const lines = shown.replace(/\n$/, "").split("\n");
  const preClass = shell ? "tool-output shell" : "tool-output";
  // A box that scrolls takes keyboard focus, so it can be scrolled without a mouse.
  const focusable = lines.length > SCROLL_LINES ? 0 : undefined;
  if (open || lines.length <= FOLD_LINES + 2) {
    return <pre class={preClass} tabIndex={focusable}>{shown}</pre>;
  }
  return (
    <div class="tool-fold">
      <pre class={`${preClass} tool-preview`}>{lines.slice(0, FOLD_LINES).join("\n")}</pre>
      <details>
        <summary>
          <span class="when-closed">Show all</span>
          <span class="when-open">Show less</span>
          <span class="muted" aria-hidden="true">{lines.length} lines</span>
        </summary>
        <pre class={preClass} tabIndex={focusable}>{shown}</pre>
      </details>
    </div>
  );
}

function ToolDetails({ tool, state, status }: { tool: string; state: Fields; status: string }) {
  const input = (state.input ?? {}) as Fields;
  const metadata = (state.metadata ?? {}) as Fields;
  // A running shell command streams its output into the metadata.
  const output = asString(state.output) || asString(metadata.output);
  if (tool === "edit" && (asString(input.oldString) || asString(input.newString))) {
    return (
      <DiffView
        label={`Changes to ${asString(input.filePath)}`}
        lines={changeLines(asString(input.oldString), asString(input.newString))}
      />
    );
  }
  if (tool === "write" && asString(input.content)) {
    return (
      <DiffView
        label={`New content of ${asString(input.filePath)}`}
        lines={changeLines("", asString(input.content))}
      />
    );
  }
  if (tool === "apply_patch" && asString(input.patchText)) {
    return <DiffView label="Patch" lines={patchLines(asString(input.patchText))} />;
  }
  if (!output) return null;
  return (
    <ToolOutput
      output={output}
      shell={tool === "bash"}
      open={status === "running" || status === "error"}
    />
  );
}

/** How long a tool ran, from its state's `time`, or an empty string while it runs. */
function toolDuration(state: Fields): string {
  const time = (state.time ?? {}) as { start?: number; end?: number };
  return typeof time.start === "number" && typeof time.end === "number"
    ? formatDuration(time.end - time.start)
    : "";
}

/**
 * The file a tool read or changed, and the line to open it at (the first the edit changed, or
 * where the read started): its name in the card opens it in the session page's Files tab.
 */
function toolFile(state: Fields): { path: string; line?: number } | undefined {
  const input = (state.input ?? {}) as Fields;
  const path = asString(input.filePath);
  if (!path) return undefined;
  const hunk = /^@@ -\d+(?:,\d+)? \+(\d+)/m.exec(asString(((state.metadata ?? {}) as Fields).diff));
  const offset = typeof input.offset === "number" && input.offset > 0 ? input.offset : undefined;
  return { path, line: hunk ? Number(hunk[1]) || 1 : offset };
}

function ToolCard({ part }: { part: ToolPart }) {
  const tool = asString(part.tool);
  const state: Fields = part.state ?? {};
  const status = asString(state.status) || "pending";
  const metadata = (state.metadata ?? {}) as Fields;
  const childSession = asString(metadata.sessionId);
  const duration = toolDuration(state);
  const file = toolFile(state);
  return (
    <div class={`part tool tool-${status}`} data-tool={tool}>
      <div class="tool-head">
        <Icon svg={TOOL_ICONS[tool] ?? icons.wrench} class="tool-icon" />
        <span class="tool-name">{tool}</span>
        <span class="tool-input">
          {file
            ? (
              <button
                type="button"
                class="file-link"
                data-open-file={file.path}
                data-line={file.line}
                title="Open in Files"
              >
                {asString(state.title) || toolInputSummary(state.input)}
              </button>
            )
            : asString(state.title) || toolInputSummary(state.input)}
        </span>
        <span class={`tool-status ${status}`}>
          <Icon svg={STATUS_ICONS[status] ?? icons.clock} />
          <span>{status}</span>
        </span>
        {duration && <span class="tool-duration">{duration}</span>}
      </div>
      {status === "error" && (
        <p class="tool-error" role="alert">
          Failed: {asString(state.error) || "the tool reported an error"}
        </p>
      )}
      {childSession && (
        <a class="tool-child" href={pageHref(`/session/${encodeURIComponent(childSession)}`)}>
          Open the sub-agent's session
        </a>
      )}
      <ToolDetails tool={tool} state={state} status={status} />
    </div>
  );
}

/**
 * Markdown as one element per top-level block: while a reply streams, only its last block
 * changes, so the browser lays out and paints that block, not the whole reply, on every frame.
 */
function MarkdownBlocks(props: { class: string; text: string }) {
  return (
    <div class={props.class}>
      {renderMarkdownBlocks(props.text).map((html, index) => (
        <div key={index} class="markdown-block" dangerouslySetInnerHTML={{ __html: html }} />
      ))}
    </div>
  );
}

/** One part of a message. */
export function PartView({ part }: { part: Part }) {
  switch (part.type) {
    case "text":
      if (part.synthetic || !asString(part.text)) return null;
      return <MarkdownBlocks class="part text markdown" text={asString(part.text)} />;
    case "reasoning":
      return asString(part.text)
        ? (
          <details class="part reasoning">
            <summary>Reasoning</summary>
            <MarkdownBlocks class="markdown" text={asString(part.text)} />
          </details>
        )
        : null;
    case "tool":
      return <ToolCard part={part} />;
    case "file":
      return <FilePart part={part} />;
    case "compaction":
      return <div class="part compaction">Compacted: the history above is summarized below</div>;
    case "patch": {
      const files = Array.isArray(part.files) ? part.files.map(String) : [];
      return <div class="part patch">Changed {files.join(", ") || "files"}</div>;
    }
    default:
      return null;
  }
}

/** Tokens and cost of an assistant message, when it has any. */
export function messageTotals(info: Message): string {
  const fields: Fields = info;
  const tokens = fields.tokens as { input?: number; output?: number } | undefined;
  const cost = typeof fields.cost === "number" ? fields.cost : 0;
  const parts: string[] = [];
  if (tokens && (tokens.input || tokens.output)) {
    parts.push(`${tokens.input ?? 0} in · ${tokens.output ?? 0} out tokens`);
  }
  if (cost > 0) parts.push(`$${cost.toFixed(4)}`);
  return parts.join(" · ");
}

/** The error an assistant message ended with, in plain words. */
export function messageError(info: Message): string {
  const { error }: Fields = info;
  return error ? errorText(error, "Stopped before it finished") : "";
}

/**
 * The command of a `!command` the user ran, for a user message that shows nothing else: OpenCode
 * stores such a message with a synthetic text only, and the command in the bash tool of the reply
 * after it (`next`).
 */
export function shellCommand(
  parts: Part[],
  next: { parts: Part[] } | undefined,
): string | undefined {
  if (parts.length === 0 || !parts.every((part) => part.type === "text" && part.synthetic)) {
    return undefined;
  }
  const bash = next?.parts.find((part) => part.type === "tool" && part.tool === "bash");
  const input = bash?.type === "tool" ? bash.state.input as { command?: unknown } : undefined;
  return typeof input?.command === "string" ? input.command : undefined;
}

/** A message's frame around its parts; `children` renders the parts. */
export function MessageFrame(
  { info, children, actions, hidden, shell, command }: {
    info: Message;
    children: ComponentChildren;
    /** Controls for the message (Undo, Fork), beside its role. */
    actions?: ComponentChildren;
    /** Rendered hidden (undone). */
    hidden?: boolean;
    /** The shell command this user message ran ({@linkcode shellCommand}). */
    shell?: string;
    /** The slash command this user message was expanded from: shown as typed, the text folded. */
    command?: CommandInvocation;
  },
) {
  const role = info.role === "user" ? "user" : "assistant";
  const summary = role === "assistant" ? messageTotals(info) : "";
  // Stopped by the user: said plainly, not as an error.
  const { error: ending }: Fields = info;
  const stopped = role === "assistant" &&
    (ending as { name?: string } | undefined)?.name === "MessageAbortedError";
  const error = role === "assistant" && !stopped ? messageError(info) : "";
  return (
    <article
      class={`message ${role}`}
      id={`message-${info.id}`}
      data-message-id={info.id}
      hidden={hidden}
    >
      <h3 class="message-role">
        <Icon svg={role === "user" ? icons.user : icons.sparkles} />
        {role === "user" ? "You" : "Assistant"}
      </h3>
      {actions}
      {shell !== undefined && (
        <p class="part text shell-command">
          <code>!{shell}</code>
        </p>
      )}
      {command
        ? (
          <>
            <p class="part text command-invocation">
              <code>/{command.name}{command.arguments && ` ${command.arguments}`}</code>
            </p>
            <details class="command-template">
              <summary>The command's full text</summary>
              {children}
            </details>
          </>
        )
        : children}
      {error && <p class="message-error" role="alert">Error: {error}</p>}
      {stopped && <p class="message-stopped">Stopped</p>}
      {summary && <p class="message-totals">{summary}</p>}
    </article>
  );
}

/** What a server-rendered list adds to each message: its controls, and whether it is hidden. */
export interface MessageListOptions {
  actions?: (message: MessageWithParts) => ComponentChildren;
  hidden?: (message: MessageWithParts) => boolean;
}

export function MessageView(
  { message, next, actions, hidden }:
    & { message: MessageWithParts; next?: MessageWithParts }
    & MessageListOptions,
) {
  return (
    <MessageFrame
      info={message.info}
      actions={actions?.(message)}
      hidden={hidden?.(message)}
      shell={message.info.role === "user" ? shellCommand(message.parts, next) : undefined}
    >
      {message.parts.map((part) => <PartView key={part.id} part={part} />)}
    </MessageFrame>
  );
}

export function MessageList(
  { messages, ...options }: { messages: MessageWithParts[] } & MessageListOptions,
) {
  if (messages.length === 0) return null;
  return (
    <div class="messages">
      {messages.map((message, index) => (
        <MessageView
          key={message.info.id}
          message={message}
          next={messages[index + 1]}
          {...options}
        />
      ))}
    </div>
  );
}
