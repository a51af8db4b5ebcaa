/**
 * A session's messages as HTML: user and assistant turns in order, text parts as sanitized
 * Markdown, reasoning collapsed, tool calls as cards (a one-line header: icon, tool, target,
 * status and duration; then the output, whose first lines show and the rest folds behind
 * `Show all` when it is long, unless the tool is running or failed; file edits as a diff; a link
 * to a sub-agent's session), files, patches, token and cost totals, and errors in plain words. Used by the server-rendered
 * session page and by the chat island, so both show the same markup.
 */

import type { CommandInvocation } from "../../common/command_invocation.ts";
import { type ComponentChildren, Fragment } from "preact";
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
  return turnTotals([info]);
}

/**
 * A turn's figures, once at its end: how long it took (from its first step's start to its last
 * step's end, once every step has ended), its tokens and its cost, summed over its steps.
 *
 * @example
 * ```ts
 * turnTotals(steps); // "4.2 s · 1,200 in · 80 out tokens · $0.0031"
 * ```
 */
export function turnTotals(steps: Message[]): string {
  let input = 0;
  let output = 0;
  let cost = 0;
  for (const info of steps) {
    const fields: Fields = info;
    const tokens = fields.tokens as { input?: number; output?: number } | undefined;
    input += tokens?.input ?? 0;
    output += tokens?.output ?? 0;
    cost += typeof fields.cost === "number" ? fields.cost : 0;
  }
  const parts: string[] = [];
  const first = steps[0]?.time as { created?: number } | undefined;
  const last = steps.at(-1)?.time as { completed?: number } | undefined;
  if (first?.created && last?.completed) {
    parts.push(formatDuration(last.completed - first.created));
  }
  if (input || output) {
    parts.push(`${input.toLocaleString("en")} in · ${output.toLocaleString("en")} out tokens`);
  }
  if (cost > 0) parts.push(`$${cost.toFixed(4)}`);
  return parts.join(" · ");
}

/** The error an assistant message ended with, in plain words. */
export function messageError(info: Message): string {
  const { error }: Fields = info;
  return error ? errorText(error, "Stopped before it finished") : "";
}

/** Whether an assistant message was stopped by the user (said plainly, not as an error). */
export function messageStopped(info: Message): boolean {
  const { error }: Fields = info;
  return info.role === "assistant" &&
    (error as { name?: string } | undefined)?.name === "MessageAbortedError";
}

/** Parts that show nothing of their own: a run of tool calls goes on across them. */
function isQuiet(part: Part): boolean {
  switch (part.type) {
    case "text":
    case "reasoning":
      return !asString(part.text) || (part.type === "text" && Boolean(part.synthetic));
    case "tool":
    case "file":
    case "compaction":
      return false;
    default:
      return true;
  }
}

/** Runs of at least this many tool calls in a row are folded behind their summary. */
export const FOLD_TOOLS = 3;

const EDITING_TOOLS = new Set(["edit", "write", "apply_patch", "multiedit"]);

/**
 * What a run of tool calls did, in one line: `7 tool calls · 3 files edited · 1 failed`.
 *
 * @example
 * ```ts
 * toolRunSummary(parts); // "4 tool calls · 2 files edited"
 * ```
 */
export function toolRunSummary(tools: ToolPart[]): string {
  const files = new Set<string>();
  let failed = 0;
  for (const part of tools) {
    const state: Fields = part.state ?? {};
    if (state.status === "error") failed++;
    const path = asString(((state.input ?? {}) as Fields).filePath);
    if (EDITING_TOOLS.has(part.tool) && state.status !== "error") {
      files.add(path || `${part.id}`);
    }
  }
  const words = [`${tools.length} tool call${tools.length === 1 ? "" : "s"}`];
  if (files.size) words.push(`${files.size} file${files.size === 1 ? "" : "s"} edited`);
  if (failed) words.push(`${failed} failed`);
  return words.join(" · ");
}

/** One step of a turn (an assistant message) and its parts, however a list holds them. */
export interface TurnStep<P> {
  info: Message;
  parts: P[];
}

/** How a turn reads and draws the parts its list holds (plain parts, or live signals). */
export interface PartAccess<P> {
  /** The part (read for its type and, for tools, its state; a text part's text is not needed). */
  read(item: P): Part;
  key(item: P): string;
  view(item: P): ComponentChildren;
}

/** A turn in order: anchors of its later steps, its parts, its folded runs of tool calls. */
type Piece<P> =
  | { kind: "anchor"; info: Message; hidden?: boolean }
  | { kind: "part"; item: P }
  | { kind: "run"; items: P[]; tools: ToolPart[] }
  | { kind: "ending"; info: Message };

function pieces<P>(steps: TurnStep<P>[], access: PartAccess<P>, hidden?: (id: string) => boolean) {
  const out: Piece<P>[] = [];
  let run: { items: P[]; tools: ToolPart[]; start: number } | undefined;
  const close = () => {
    if (!run) return;
    const busy = run.tools.some((tool) => {
      const status = asString((tool.state as Fields | undefined)?.status);
      return status === "running" || status === "pending";
    });
    if (run.tools.length >= FOLD_TOOLS && !busy) {
      // The run's anchors stay before it, where a link to one of its steps lands.
      const anchors = out.splice(run.start).filter((piece) => piece.kind === "anchor");
      out.push(...anchors, { kind: "run", items: run.items, tools: run.tools });
    }
    run = undefined;
  };
  steps.forEach((step, index) => {
    if (index > 0) out.push({ kind: "anchor", info: step.info, hidden: hidden?.(step.info.id) });
    for (const item of step.parts) {
      const part = access.read(item);
      if (part.type === "tool") {
        run ??= { items: [], tools: [], start: out.length };
        run.items.push(item);
        run.tools.push(part);
        out.push({ kind: "part", item });
      } else if (isQuiet(part)) {
        if (run) run.items.push(item);
        out.push({ kind: "part", item });
      } else {
        close();
        out.push({ kind: "part", item });
      }
    }
    if (messageError(step.info)) {
      close();
      out.push({ kind: "ending", info: step.info });
    }
  });
  close();
  return out;
}

/**
 * The assistant's reply to one message, as one block with one header whatever its steps: text,
 * reasoning and tool calls in order, runs of {@linkcode FOLD_TOOLS} or more finished tool calls
 * folded behind their summary (a `<details>`: it opens in place, without script; open at first
 * when one of them failed), what the
 * agent is doing now (`working`) and the turn's figures at its end. The block carries the first
 * step's id; each later step has an empty anchor (`#message-<id>` links land there).
 */
export function TurnFrame<P>(
  { steps, access, working, hidden, retry, fresh }: {
    steps: TurnStep<P>[];
    /** Started after the page loaded: it settles in (a short motion). */
    fresh?: boolean;
    access: PartAccess<P>;
    /** A failed or stopped turn's `Retry`. */
    retry?: ComponentChildren;
    /** The live line at the end while the turn runs. */
    working?: ComponentChildren;
    /** Whether a step is hidden (undone). */
    hidden?: (id: string) => boolean;
  },
) {
  const first = steps[0]?.info;
  const infos = steps.map((step) => step.info);
  const last = infos.at(-1);
  const summary = working ? "" : turnTotals(infos);
  const stopped = last ? messageStopped(last) : false;
  return (
    <article
      class={`message assistant turn${fresh ? " fresh" : ""}`}
      id={first ? `message-${first.id}` : undefined}
      data-message-id={first?.id}
      hidden={first ? hidden?.(first.id) : undefined}
    >
      <h3 class="message-role">
        <Icon svg={icons.sparkles} />
        Assistant
      </h3>
      {pieces(steps, access, hidden).map((piece) => {
        switch (piece.kind) {
          case "anchor":
            return (
              <span
                key={`anchor-${piece.info.id}`}
                class="step-anchor"
                id={`message-${piece.info.id}`}
                data-message-id={piece.info.id}
                hidden={piece.hidden}
              />
            );
          case "part":
            return <Fragment key={access.key(piece.item)}>{access.view(piece.item)}</Fragment>;
          case "run":
            return (
              <details
                class="tool-run"
                key={`run-${access.key(piece.items[0])}`}
                // A failed call is not hidden: the run starts open.
                open={piece.tools.some((tool) => (tool.state as Fields).status === "error")}
              >
                <summary>{toolRunSummary(piece.tools)}</summary>
                {piece.items.map((item) => (
                  <Fragment key={access.key(item)}>{access.view(item)}</Fragment>
                ))}
              </details>
            );
          case "ending":
            return messageStopped(piece.info)
              ? null
              : (
                <p key={`error-${piece.info.id}`} class="message-error" role="alert">
                  Error: {messageError(piece.info)}
                </p>
              );
        }
      })}
      {stopped && <p class="message-stopped">Stopped</p>}
      {retry}
      {working}
      {summary && <p class="message-totals">{summary}</p>}
    </article>
  );
}

/** Plain parts, as the server's history and a sub-agent's conversation hold them. */
const PLAIN_PARTS: PartAccess<Part> = {
  read: (part) => part,
  key: (part) => part.id,
  view: (part) => <PartView part={part} />,
};

/**
 * A list of messages as the chat shows them: each user message on its own, and the assistant
 * messages after it joined into one turn.
 *
 * @example
 * ```ts
 * groupTurns(list, (message) => message.info.role === "user");
 * ```
 */
export function groupTurns<M>(
  messages: M[],
  isUser: (message: M) => boolean,
): ({ user: M } | { turn: M[] })[] {
  const out: ({ user: M } | { turn: M[] })[] = [];
  for (const message of messages) {
    const previous = out.at(-1);
    if (isUser(message)) out.push({ user: message });
    else if (previous && "turn" in previous) previous.turn.push(message);
    else out.push({ turn: [message] });
  }
  return out;
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
  { info, children, actions, hidden, shell, command, fresh }: {
    info: Message;
    /** Arrived after the page loaded: it settles in (a short motion). */
    fresh?: boolean;
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
  const stopped = messageStopped(info);
  const error = role === "assistant" && !stopped ? messageError(info) : "";
  return (
    <article
      class={`message ${role}${fresh ? " fresh" : ""}`}
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
  const hidden = options.hidden;
  const byId = new Map(messages.map((message) => [message.info.id, message]));
  return (
    <div class="messages">
      {groupTurns(messages, (message) => message.info.role === "user").map((group, index, all) =>
        "user" in group
          ? (
            <MessageView
              key={group.user.info.id}
              message={group.user}
              next={(all[index + 1] as { turn?: MessageWithParts[] } | undefined)?.turn?.[0]}
              {...options}
            />
          )
          : (
            <TurnFrame
              key={group.turn[0].info.id}
              steps={group.turn}
              access={PLAIN_PARTS}
              hidden={hidden && ((id) => hidden(byId.get(id)!))}
            />
          )
      )}
    </div>
  );
}
