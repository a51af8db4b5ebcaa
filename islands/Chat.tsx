/**
 * The live chat of one session, or of a new one: the toolbar, the latest messages (older history
 * is server-rendered above the island), streaming parts, permission and question cards, the todo
 * list, session actions and the composer. The first Send of a new chat creates the session and
 * prompts it in one step, then the address becomes `/session/:id`.
 */

import { type Signal, signal, useComputed, useSignal } from "@preact/signals";
import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import type {
  Message,
  Part,
  PermissionRequest,
  QuestionRequest,
  Todo,
} from "@opencode-ai/sdk/v2/client";
import { getProjectClient } from "../lib/store/clients.ts";
import {
  messageEntries,
  type MessageEntry,
  onResync,
  pendingForSession,
  seedSessions,
  server,
  sessions,
  type SessionStatusName,
  updateSession,
  watchSession,
} from "../lib/store/store.ts";
import { Composer } from "../lib/ui/chat/composer.tsx";
import { installCodeCopy } from "../lib/ui/chat/copy_code.ts";
import { PermissionCard, QuestionCard } from "../lib/ui/chat/requests.tsx";
import { promptOptions, Toolbar, useToolbar } from "../lib/ui/chat/toolbar.tsx";
import { Icon, pencil, trash } from "../lib/ui/icons.tsx";
import { IS_BROWSER } from "../lib/ui/is_browser.ts";
import { MessageFrame, type MessageWithParts, PartView } from "../lib/ui/messages.tsx";

export interface ChatProps {
  directory: string;
  /** Palot's project id, for links. */
  projectId: string;
  projectName: string;
  /** The session, or `undefined` for a new chat. */
  session?: { id: string; title: string; parentID?: string };
  /** Sub-agent sessions of this one, so their requests surface here. */
  subSessions?: { id: string; title: string }[];
  /** The latest messages; older ones are rendered above the island. */
  messages: MessageWithParts[];
  status: SessionStatusName;
  permissions: PermissionRequest[];
  questions: QuestionRequest[];
}

function LivePart({ part }: { part: Signal<Part> }) {
  return <PartView part={part.value as unknown as MessageWithParts["parts"][number]} />;
}

function LiveMessage({ entry }: { entry: MessageEntry }) {
  return (
    <MessageFrame info={entry.info.value as unknown as MessageWithParts["info"]}>
      {entry.parts.value.map((part) => <LivePart key={part.value.id} part={part} />)}
    </MessageFrame>
  );
}

function TodoList({ todos }: { todos: Todo[] }) {
  if (todos.length === 0) return null;
  return (
    <aside class="todos" aria-label="Todo list">
      <h2>Todo</h2>
      <ul>
        {todos.map((todo, index) => (
          <li key={index} class={`todo todo-${todo.status}`}>
            <span class="todo-status">{todo.status.replace("_", " ")}</span> {todo.content}
          </li>
        ))}
      </ul>
    </aside>
  );
}

const SHORTCUTS: [string, string][] = [
  ["/", "Focus the message box"],
  ["n", "New session in this project"],
  ["Escape", "Stop the agent"],
  ["Enter", "Send (Shift+Enter for a new line)"],
  ["?", "Show or hide this help"],
];

export default function Chat(props: ChatProps) {
  const { directory } = props;
  const sessionId = useSignal(props.session?.id);
  const title = useSignal(props.session?.title ?? "");
  const toolbar = useToolbar(directory);
  const composer = useRef<HTMLTextAreaElement>(null);
  const [notice, setNotice] = useState("");
  const [showHelp, setShowHelp] = useState(false);
  const [renaming, setRenaming] = useState(false);
  // Opened at a message (a search result's #message-… link): stay there, not at the end.
  const [stuck, setStuck] = useState(
    () => typeof location === "undefined" || !location.hash.startsWith("#message-"),
  );
  const [unseen, setUnseen] = useState(false);
  const listRef = useRef<HTMLDivElement>(null);
  const firstLiveId = props.messages[0]?.info.id;

  // Messages: kept live by the store in the browser; plain signals when rendering on the server.
  const initialList = useMemo(() => {
    if (!IS_BROWSER) {
      return signal(
        messageEntries(props.messages as unknown as { info: Message; parts: Part[] }[]),
      );
    }
    if (props.session) {
      seedSessions([
        {
          id: props.session.id,
          directory,
          title: props.session.title,
          parentID: props.session.parentID,
          status: props.status,
        },
        ...(props.subSessions ?? []).map((child) => ({
          id: child.id,
          directory,
          title: child.title,
          parentID: props.session!.id,
        })),
      ]);
      const entry = sessions.peek()[props.session.id];
      if (entry && entry.permissions.length === 0 && entry.questions.length === 0) {
        const own = (request: { sessionID: string }) => request.sessionID === props.session!.id;
        updateSession(props.session.id, directory, {
          permissions: props.permissions.filter(own),
          questions: props.questions.filter(own),
        });
      }
      return watchSession(
        props.session.id,
        props.messages as unknown as { info: Message; parts: Part[] }[],
      );
    }
    return signal<MessageEntry[]>([]);
  }, []);
  /** The message list on screen: replaced by the store's once a new chat becomes a session. */
  const list = useSignal(initialList);

  const entry = useComputed(
    () => (IS_BROWSER && sessionId.value ? sessions.value[sessionId.value] : undefined),
  );
  const status = IS_BROWSER ? entry.value?.status ?? "idle" : props.status;
  const pending = useComputed(() =>
    IS_BROWSER && sessionId.value
      ? pendingForSession(sessionId.value)
      : { permissions: props.permissions, questions: props.questions }
  );
  const busy = status === "busy" || status === "retry";
  if (IS_BROWSER && entry.value?.title && entry.value.title !== title.peek()) {
    title.value = entry.value.title;
  }

  /** Reloads the todo list, and unless `todosOnly` the messages, from OpenCode. */
  const reload = async (todosOnly = false) => {
    const id = sessionId.peek();
    if (!id) return;
    const client = getProjectClient(directory);
    try {
      const [history, todos] = await Promise.all([
        todosOnly ? undefined : client.session.messages({ sessionID: id }, { throwOnError: true }),
        client.session.todo({ sessionID: id }).catch(() => undefined),
      ]);
      if (history) {
        const live = firstLiveId
          ? history.data.filter((message) => message.info.id >= firstLiveId)
          : history.data;
        watchSession(id, live);
      }
      if (todos?.data) updateSession(id, directory, { todos: todos.data });
    } catch { /* the connection indicator already tells; the next resync retries */ }
  };

  useEffect(() => {
    // The page is current as rendered, and the event stream resumes from the page's event id:
    // only the todo list, which the page does not render, is fetched now.
    reload(true);
    const offResync = onResync((changed) => {
      if (!changed || changed === directory) reload();
    });
    // Stick to the bottom while streaming unless the user scrolled up.
    const onScroll = () => {
      const atBottom =
        globalThis.innerHeight + globalThis.scrollY >= document.documentElement.scrollHeight - 120;
      setStuck(atBottom);
      if (atBottom) setUnseen(false);
    };
    globalThis.addEventListener("scroll", onScroll, { passive: true });
    const observer = new MutationObserver(() => {
      const atBottom =
        globalThis.innerHeight + globalThis.scrollY >= document.documentElement.scrollHeight - 240;
      if (stuckRef.current || atBottom) {
        globalThis.scrollTo({ top: document.documentElement.scrollHeight });
      } else setUnseen(true);
    });
    if (listRef.current) {
      observer.observe(listRef.current, { childList: true, subtree: true, characterData: true });
    }
    return () => {
      offResync();
      globalThis.removeEventListener("scroll", onScroll);
      observer.disconnect();
    };
  }, []);
  const stuckRef = useRef(stuck);
  stuckRef.current = stuck;

  const stop = async () => {
    const id = sessionId.peek();
    if (!id) return;
    try {
      await getProjectClient(directory).session.abort({ sessionID: id }, { throwOnError: true });
    } catch (reason) {
      setNotice(`Could not stop: ${(reason as Error)?.message ?? reason}`);
    }
  };

  useEffect(() => installCodeCopy(), []);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const target = event.target as HTMLElement | null;
      const typing = target && /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName);
      if (event.key === "Escape") {
        if (showHelpRef.current) setShowHelp(false);
        else if (busyRef.current) stop();
        return;
      }
      if (typing || event.ctrlKey || event.metaKey || event.altKey) return;
      if (event.key === "/") {
        event.preventDefault();
        composer.current?.focus();
      } else if (event.key === "n") {
        location.href = `/project/${encodeURIComponent(props.projectId)}/new`;
      } else if (event.key === "?") {
        setShowHelp((shown) => !shown);
      }
    };
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  }, []);
  const busyRef = useRef(busy);
  busyRef.current = busy;
  const showHelpRef = useRef(showHelp);
  showHelpRef.current = showHelp;

  /** Sends `text`; resolves whether it was accepted (the composer then clears its draft). */
  const send = async (text: string): Promise<boolean> => {
    setNotice("");
    if (!server.peek().connected) {
      setNotice(
        "Not connected to OpenCode, so nothing was sent. Your message is kept; send it when the status says Connected.",
      );
      return false;
    }
    const client = getProjectClient(directory);
    try {
      let id = sessionId.peek();
      if (!id) {
        const created = await client.session.create({}, { throwOnError: true });
        id = created.data.id;
        seedSessions([{
          id,
          directory,
          info: created.data,
          title: created.data.title,
          projectID: created.data.projectID,
        }]);
        list.value = watchSession(id, []);
        sessionId.value = id;
        title.value = created.data.title;
        history.replaceState(null, "", `/session/${encodeURIComponent(id)}`);
        // Forms that send the browser back here (the Theme control) now come back to the session.
        document.querySelectorAll<HTMLInputElement>('input[name="back"]')
          .forEach((input) => input.value = location.pathname);
      }
      await client.session.promptAsync({
        sessionID: id,
        parts: [{ type: "text", text }],
        ...promptOptions(toolbar),
      }, { throwOnError: true });
      setStuck(true);
      return true;
    } catch (reason) {
      setNotice(`Could not send: ${(reason as Error)?.message ?? reason}. Your message is kept.`);
      return false;
    }
  };

  const rename = async (next: string) => {
    const id = sessionId.peek();
    if (!id || !next.trim()) return setRenaming(false);
    try {
      await getProjectClient(directory).session.update({ sessionID: id, title: next.trim() }, {
        throwOnError: true,
      });
      title.value = next.trim();
      setRenaming(false);
    } catch (reason) {
      setNotice(`Could not rename: ${(reason as Error)?.message ?? reason}`);
    }
  };

  const remove = async () => {
    const id = sessionId.peek();
    if (
      !id || !confirm(`Delete the session "${title.peek() || "Untitled"}"? This cannot be undone.`)
    ) return;
    try {
      await getProjectClient(directory).session.delete({ sessionID: id }, { throwOnError: true });
      location.href = `/project/${encodeURIComponent(props.projectId)}`;
    } catch (reason) {
      setNotice(`Could not delete: ${(reason as Error)?.message ?? reason}`);
    }
  };

  const todos = entry.value?.todos ?? [];
  const error = entry.value?.status === "error" ? entry.value.error : undefined;
  return (
    <div class="chat">
      <div class="chat-head">
        {renaming
          ? (
            <form
              class="rename"
              onSubmit={(event) => {
                event.preventDefault();
                rename(new FormData(event.currentTarget).get("title") as string);
              }}
            >
              <label>
                <span class="visually-hidden">Session title</span>
                <input name="title" defaultValue={title.value} autoFocus />
              </label>
              <button type="submit" class="button primary">Save</button>
              <button type="button" class="button" onClick={() => setRenaming(false)}>
                Cancel
              </button>
            </form>
          )
          : (
            <h1>
              {sessionId.value
                ? title.value || "Untitled session"
                : `New session in ${props.projectName}`}
            </h1>
          )}
        {sessionId.value && !renaming && (
          <div class="session-actions">
            <button type="button" class="button" onClick={() => setRenaming(true)}>
              <Icon svg={pencil} />
              Rename
            </button>
            <button type="button" class="button danger" onClick={remove}>
              <Icon svg={trash} />
              Delete
            </button>
          </div>
        )}
      </div>
      <Toolbar {...toolbar} />
      <div class="chat-body">
        <div class="messages" ref={listRef} aria-live="off">
          {list.value.value.map((message) => <LiveMessage key={message.id} entry={message} />)}
          {!sessionId.value && (
            <p class="muted">Write a message below to start a session in {props.projectName}.</p>
          )}
        </div>
        <TodoList todos={todos} />
      </div>
      {pending.value.permissions.map((request) => (
        <PermissionCard key={request.id} request={request} directory={directory} />
      ))}
      {pending.value.questions.map((request) => (
        <QuestionCard key={request.id} request={request} directory={directory} />
      ))}
      {error && <p class="chat-error" role="alert">Error: {error}</p>}
      {entry.value?.retry && status === "retry" && (
        <p class="chat-retry" role="status">
          Retrying (attempt {entry.value.retry.attempt}):{" "}
          {entry.value.retry.message || "the model did not answer"}
        </p>
      )}
      {unseen && !stuck && (
        <button
          type="button"
          class="button jump"
          onClick={() => {
            globalThis.scrollTo({ top: document.documentElement.scrollHeight, behavior: "smooth" });
            setStuck(true);
            setUnseen(false);
          }}
        >
          Jump to latest
        </button>
      )}
      <Composer
        textareaRef={composer}
        autoFocus={Boolean(props.session)}
        draftKey={sessionId.value
          ? `palot:draft:${sessionId.value}`
          : `palot:draft:new:${directory}`}
        busy={busy}
        onSend={send}
        onStop={stop}
        notice={notice}
      />
      {showHelp && (
        <div class="help" role="dialog" aria-label="Keyboard shortcuts">
          <h2>Keyboard shortcuts</h2>
          <dl>
            {SHORTCUTS.map(([key, what]) => (
              <div key={key}>
                <dt>
                  <kbd>{key}</kbd>
                </dt>
                <dd>{what}</dd>
              </div>
            ))}
          </dl>
          <button type="button" class="button" onClick={() => setShowHelp(false)}>Close</button>
        </div>
      )}
    </div>
  );
}
