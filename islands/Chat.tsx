/**
 * The live chat of one session, or of a new one: the toolbar, the latest messages (older history
 * is server-rendered above the island), streaming parts, permission and question cards, the todo
 * list, session actions and the composer. The first Send of a new chat creates the session and
 * prompts it in one step, then the address becomes `/session/:id`. This island only composes: each
 * part, and every call to OpenCode, lives in its own module under `lib/client/chat/`.
 */

import type { Signal } from "@preact/signals";
import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import type { Part } from "@opencode-ai/sdk/v2/client";
import type { MessageEntry } from "../lib/client/live/store.ts";
import { chatApi } from "../lib/client/chat/chat_api.ts";
import { useSessionFiles } from "../lib/client/chat/changes_panel.tsx";
import { commandList } from "../lib/client/chat/commands.ts";
import { installCodeCopy } from "../lib/client/chat/copy_code.ts";
import { Composer } from "../lib/client/chat/composer.tsx";
import { useFollowLatest } from "../lib/client/chat/follow.ts";
import { type LiveSessionProps, useLiveSession } from "../lib/client/chat/live_session.ts";
import { promptHistory, storedPrompts } from "../lib/client/chat/prompt_history.ts";
import {
  type ProviderFailure,
  ProviderRefusal,
  providerRefusal,
} from "../lib/client/chat/provider_refusal.tsx";

import { PermissionCard, QuestionCard } from "../lib/client/chat/requests.tsx";
import {
  RevertBar,
  ReviewContext,
  useHistoryReview,
  useReview,
  UserMessageActions,
} from "../lib/client/chat/review.tsx";
import { sender } from "../lib/client/chat/send.ts";
import { retryMessage } from "../lib/client/chat/retry.ts";
import { NewWorktreeToggle, useNewWorktree } from "../lib/client/chat/new_worktree.tsx";
import { SessionFacts } from "../lib/client/chat/session_facts.tsx";
import { SessionHead } from "../lib/client/chat/session_head.tsx";
import { ShortcutHelp, useShortcuts } from "../lib/client/chat/shortcuts.tsx";
import { mentionInDraft } from "../lib/client/chat/draft.ts";
import { promptOptions, Toolbar, useToolbar } from "../lib/client/chat/toolbar.tsx";
import { ProviderNeeded } from "../lib/client/chat/provider_needed.tsx";
import { needsProvider } from "../lib/common/toolbar_data.ts";
import type { ToolbarSnapshot } from "../lib/common/toolbar_data.ts";
import {
  groupTurns,
  MessageFrame,
  type PartAccess,
  PartView,
  shellCommand,
  TurnFrame,
} from "../lib/client/ui/messages.tsx";
import { WorkingLine } from "../lib/client/chat/working_line.tsx";
import { doingNow } from "../lib/common/activity.ts";
import { commandInvocation, type CommandTemplate } from "../lib/common/command_invocation.ts";
import { sessions } from "../lib/client/live/store.ts";
import { IS_BROWSER } from "../lib/client/ui/is_browser.ts";
import { pane, setPane } from "../lib/client/workbench/pane_state.ts";
import { progressText } from "../lib/client/workbench/todo_progress.ts";
import { downloadSession } from "../lib/client/workbench/download.ts";
import { type SubSession, Workbench, WorkbenchBar } from "../lib/client/workbench/workbench.tsx";
import { pageHref } from "../lib/client/live/page_server.ts";

/** Attempts OpenCode makes to reach an unreachable provider before Palot stops the turn. */
const UNREACHABLE_ATTEMPTS = 3;

export interface ChatProps extends LiveSessionProps {
  /** Palot's project id, for links; absent for a folder OpenCode does not know yet. */
  projectId?: string;
  projectName: string;
  /** The first message hidden by an Undo, as the page read it from the session. */
  revert?: string;
  /** Whether the folder is a git repository (undo of files needs it). */
  git?: boolean;
  /** The toolbar's options as the server knows them, so it is complete on first paint. */
  toolbar?: ToolbarSnapshot;
  /** Why nothing can be sent any more (its worktree is gone): the composer is replaced by it. */
  closed?: string;
  /**
   * The session page: its side pane has the project's terminals and comes back as it was left
   * (the New session page docks the terminals, and its pane starts closed).
   */
  workbench?: boolean;
}

/** The sub-agent sessions of `sessionId`: the page's, and those started since, live. */
function subSessionsOf(sessionId: string, known: SubSession[] = []): SubSession[] {
  const live = Object.values(sessions.value)
    .filter((entry) => entry.parentID === sessionId && !known.some((item) => item.id === entry.id))
    .map((entry) => ({ id: entry.id, title: entry.title ?? "" }));
  return [...known, ...live];
}

function LivePart({ part }: { part: Signal<Part> }) {
  return <PartView part={part.value} />;
}

function LiveMessage(
  { entry, next, templates }: {
    entry: MessageEntry;
    next?: MessageEntry;
    /** The project's commands, to show a command's message as typed. */
    templates: CommandTemplate[];
  },
) {
  const info = entry.info.value;
  const partsOf = (item: MessageEntry) => item.parts.value.map((part) => part.value);
  const parts = partsOf(entry);
  const only = parts.length === 1 ? parts[0] : undefined;
  return (
    <MessageFrame
      info={info}
      fresh={isFresh(entry)}
      actions={<UserMessageActions entry={entry} />}
      shell={info.role === "user"
        ? shellCommand(parts, next && { parts: partsOf(next) })
        : undefined}
      command={info.role === "user" && only?.type === "text" && !only.synthetic
        ? commandInvocation(only.text, templates)
        : undefined}
    >
      {entry.parts.value.map((part) => <LivePart key={part.value.id} part={part} />)}
    </MessageFrame>
  );
}

/** When this page loaded: messages created after it settle in with a short motion. */
const LOADED = IS_BROWSER ? Date.now() : Infinity;
const isFresh = (entry: MessageEntry | undefined) =>
  Boolean(entry && entry.info.peek().time.created > LOADED);

/** Live parts: a turn reads a part's type, and a tool's state, not its streaming text. */
const LIVE_PARTS: PartAccess<Signal<Part>> = {
  read: (part) => part.peek().type === "tool" ? part.value : part.peek(),
  key: (part) => part.peek().id,
  view: (part) => <LivePart part={part} />,
};

/** The assistant's reply to one message, live; while it runs, what it does now at its end. */
function LiveTurn(
  { entries, working, onRetry }: {
    entries: MessageEntry[];
    working?: { since: number; waiting: boolean; directory: string };
    /** The last turn, failed or stopped: sends its message again. */
    onRetry?: () => Promise<unknown>;
  },
) {
  const [sending, setSending] = useState(false);
  const steps = entries.map((entry) => ({ info: entry.info.value, parts: entry.parts.value }));
  const line = working && (
    <WorkingLine
      since={working.since}
      doing={doingNow(
        steps.flatMap((step) => step.parts.map(LIVE_PARTS.read)),
        { waiting: working.waiting, directory: working.directory },
      )}
    />
  );
  const last = steps.at(-1)?.info;
  const failed = last?.role === "assistant" && Boolean((last as { error?: unknown }).error);
  const retry = onRetry && failed && !working && (
    <button
      type="button"
      class="button small turn-retry"
      title="Send the same message again"
      disabled={sending}
      aria-busy={sending || undefined}
      onClick={async () => {
        setSending(true);
        try {
          await onRetry();
        } finally {
          setSending(false);
        }
      }}
    >
      Retry
    </button>
  );
  return (
    <TurnFrame
      steps={steps}
      access={LIVE_PARTS}
      working={line}
      retry={retry}
      fresh={isFresh(entries[0])}
    />
  );
}

export default function Chat(props: ChatProps) {
  const { directory } = props;
  const api = useMemo(() => chatApi(directory), [directory]);
  const commands = useMemo(() => commandList(api), [api]);
  const history = useMemo(
    () =>
      promptHistory(props.projectId ? storedPrompts(props.projectId) : () => Promise.resolve([])),
    [],
  );
  const live = useLiveSession(props, api);
  const { sessionId, entry, pending, status, busy } = live;
  const toolbar = useToolbar(directory, props.toolbar);
  const composer = useRef<HTMLTextAreaElement>(null);
  const listRef = useRef<HTMLDivElement>(null);
  const follow = useFollowLatest(listRef);
  const [notice, setNotice] = useState("");
  useEffect(() => installCodeCopy(), []);
  const [templates, setTemplates] = useState<CommandTemplate[]>([]);
  useEffect(() => {
    if (sessionId.value) commands().then(setTemplates, () => {});
  }, [sessionId.value]);

  const stop = async () => {
    const id = sessionId.peek();
    if (!id) return;
    try {
      await api.abort(id);
    } catch (reason) {
      setNotice(`Could not stop: ${(reason as Error).message}`);
    }
  };
  const help = useShortcuts({
    composer,
    newSessionHref: props.projectId
      ? pageHref(`/project/${encodeURIComponent(props.projectId)}/new`)
      : pageHref(`/new?directory=${encodeURIComponent(directory)}`),
    busy,
    stop,
  });
  // A new session of a git project can start in a worktree of its own (`New worktree`).
  const offersWorktree = !props.session && props.git !== undefined;
  const worktree = useNewWorktree(props.projectId ?? directory, props.git === true);
  const send = sender({
    api,
    directory,
    live,
    commands,
    settings: () => promptOptions(toolbar),
    notify: setNotice,
    newWorktree: () => offersWorktree && worktree.on,
    // Its page is the worktree's: toolbar, changes and undo all work in that folder.
    moved: (id) =>
      setTimeout(() => location.assign(pageHref(`/session/${encodeURIComponent(id)}`))),
  });

  const review = useReview({
    directory,
    sessionId: sessionId.value,
    entry: entry.value,
    initialRevert: props.revert,
    git: props.git,
    composer,
    list: live.list.value,
  });
  const olderUndone = useHistoryReview(review);
  const error = entry.value?.status === "error" ? entry.value.error : undefined;
  const retrying = providerRefusal(
    live.list.value.value,
    status === "retry" ? entry.value?.retry?.message : undefined,
  );
  // A provider that cannot be reached is not retried for ever: after a few attempts the turn is
  // stopped, and what failed stays said (not an empty block) until the next turn starts.
  const [gaveUp, setGaveUp] = useState<ProviderFailure>();
  const attempt = entry.value?.retry?.attempt ?? 0;
  useEffect(() => {
    const id = sessionId.peek();
    if (retrying?.kind === "unreachable" && attempt >= UNREACHABLE_ATTEMPTS && id) {
      setGaveUp(retrying);
      api.abort(id).catch(() => {});
    } else if (status === "busy") setGaveUp(undefined);
  }, [retrying?.kind, attempt, status]);
  const refusal = gaveUp ?? retrying;
  const providerName = (id: string) => toolbar.data?.providers.find((item) => item.id === id)?.name;
  const changes = {
    directory,
    sessionId: sessionId.value ?? "",
    entry: entry.value,
    list: live.list.value,
    revertedFrom: review.revertedFrom,
    git: props.git,
  };
  const changedFiles = useSessionFiles(changes, pane.value.open && pane.value.tab === "changes");
  const todos = entry.value?.todos ?? [];
  const shown = live.list.value.value.filter((message) => review.shows(message.id));
  const turns = groupTurns(shown, (message) => message.info.peek().role === "user");
  const lastUser = shown.findLast((message) => message.info.peek().role === "user");
  const working = {
    since: lastUser?.info.peek().time.created ?? Date.now(),
    waiting: pending.value.permissions.length + pending.value.questions.length > 0,
    directory,
  };
  const progress = progressText(todos);
  // Retry: the same message again (its text, files and attachments, agent and model).
  const retry = async (message: MessageEntry) => {
    const id = sessionId.peek();
    if (!id) return;
    const sent = await retryMessage({
      api,
      sessionID: id,
      info: message.info.peek(),
      parts: message.parts.peek().map((part) => part.peek()),
      notify: setNotice,
    });
    if (sent) follow.stick();
  };
  const mention = (path: string) => {
    mentionInDraft(path);
    // At phone width the pane covers the composer.
    if (matchMedia("(max-width: 700px)").matches) setPane({ open: false });
  };
  return (
    <>
      <div class="chat" data-workbench={props.workbench ? "" : undefined}>
        <SessionHead
          api={api}
          sessionId={sessionId}
          title={live.title}
          projectId={props.projectId}
          projectName={props.projectName}
          onError={setNotice}
          progress={busy && progress
            ? <span class="todo-progress-head" title="The agent's plan">{progress}</span>
            : undefined}
        />
        {sessionId.value && (
          <>
            <SessionFacts
              directory={directory}
              sessionId={sessionId.value}
              entry={entry.value}
              list={live.list.value}
              model={toolbar.model}
              busy={busy}
            />
            <WorkbenchBar
              files={changedFiles}
              todos={todos}
              terminal={Boolean(props.workbench)}
              busy={busy}
              onExport={(format) => downloadSession(directory, sessionId.value!, format)}
            />
          </>
        )}
        <div class="chat-body">
          <div class="messages" ref={listRef} aria-live="off">
            <ReviewContext.Provider value={review}>
              {turns.map((group, index) =>
                "user" in group
                  ? (
                    <LiveMessage
                      key={group.user.id}
                      entry={group.user}
                      next={"turn" in (turns[index + 1] ?? {})
                        ? (turns[index + 1] as { turn: MessageEntry[] }).turn[0]
                        : undefined}
                      templates={templates}
                    />
                  )
                  : (
                    <LiveTurn
                      key={group.turn[0].id}
                      entries={group.turn}
                      working={index === turns.length - 1 && busy ? working : undefined}
                      onRetry={index === turns.length - 1 && !busy && lastUser
                        ? () => retry(lastUser)
                        : undefined}
                    />
                  )
              )}
              {busy && turns.length > 0 && "user" in turns[turns.length - 1] && (
                <LiveTurn key="pending" entries={[]} working={working} />
              )}
            </ReviewContext.Provider>
            {!sessionId.value && (
              <p class="muted">Write a message below to start a session in {props.projectName}.</p>
            )}
            {!sessionId.value && toolbar.data && needsProvider(toolbar.data) && (
              <ProviderNeeded data={toolbar.data} model={toolbar.model} />
            )}
          </div>
        </div>
        <RevertBar review={review} list={live.list.value} olderUndone={olderUndone} />
        {pending.value.permissions.map((request) => (
          <PermissionCard key={request.id} request={request} directory={directory} />
        ))}
        {pending.value.questions.map((request) => (
          <QuestionCard key={request.id} request={request} directory={directory} />
        ))}
        {refusal
          ? (
            <ProviderRefusal
              refusal={refusal}
              providerName={providerName(refusal.providerID)}
              gaveUp={refusal === gaveUp}
            />
          )
          : error && <p class="chat-error" role="alert">Error: {error}</p>}
        {entry.value?.retry && status === "retry" && (
          <p class="chat-retry" role="status">
            Retrying (attempt {entry.value.retry.attempt}):{" "}
            {entry.value.retry.message || "the model did not answer"}
          </p>
        )}
        {follow.unseen && (
          <button type="button" class="button jump" onClick={follow.jump}>Jump to latest</button>
        )}
        {props.closed && <p class="chat-closed muted">{props.closed}</p>}
        {props.closed && <Toolbar {...toolbar} />}
        {!props.closed && (
          <Composer
            textareaRef={composer}
            autoFocus={Boolean(props.session)}
            draftKey={sessionId.value
              ? `palot:draft:${sessionId.value}`
              : `palot:draft:new:${directory}`}
            busy={busy}
            api={api}
            commands={commands}
            history={history}
            onSend={async (draft) => {
              const sent = await send(draft);
              if (sent) follow.stick();
              return sent;
            }}
            onStop={stop}
            notice={notice}
            toolbar={<Toolbar {...toolbar} />}
            options={offersWorktree && !sessionId.value && (
              <NewWorktreeToggle on={worktree.on} set={worktree.set} git={props.git === true} />
            )}
          />
        )}
        <ShortcutHelp {...help} />
      </div>
      {sessionId.value && (
        <Workbench
          key={sessionId.value}
          changes={changes}
          files={changedFiles}
          todos={todos}
          subSessions={subSessionsOf(sessionId.value, props.subSessions)}
          title={live.title.value || "Untitled session"}
          terminal={Boolean(props.workbench)}
          onMention={mention}
        />
      )}
    </>
  );
}
