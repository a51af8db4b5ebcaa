/**
 * The chat's live state for one session, or for a new chat until its first Send creates one: the
 * session id and title, the message list (kept live by the store in the browser, plain signals on
 * the server), its store entry (status, pending requests, todos), and the reloads a resync asks for
 * (the todo list at once, then the page's window of messages, merged: see `history_sync.ts`; or,
 * mid-reply, the page itself).
 */

import { type Signal, signal, useComputed, useSignal } from "@preact/signals";
import { useEffect, useMemo } from "preact/hooks";
import type { PermissionRequest, QuestionRequest, Session } from "@opencode-ai/sdk/v2/client";
import {
  messageEntries,
  type MessageEntry,
  onResync,
  pendingForSession,
  seedSessions,
  sessions,
  type SessionStatusName,
  updateSession,
  watchSession,
} from "../live/store.ts";
import { IS_BROWSER } from "../ui/is_browser.ts";
import type { MessageWithParts } from "../../common/message.ts";
import type { ChatApi } from "./chat_api.ts";
import { historySync } from "./history_sync.ts";
import { pageHref, pageServer } from "../live/page_server.ts";

/**
 * Messages the session page hands the chat (kept live; older ones are static HTML above it), and
 * the smallest window a reload reads.
 */
export const LIVE_WINDOW = 50;

/**
 * Where the chat's live messages start in `messages` (the page's, oldest first): the last
 * {@linkcode LIVE_WINDOW}, widened back to the user message that starts the turn it would cut, so
 * a turn is never split between the static history and the live chat (one block, one header).
 *
 * @example
 * ```ts
 * const start = liveWindowStart(messages);
 * const older = messages.slice(0, start), latest = messages.slice(start);
 * ```
 */
export function liveWindowStart(
  messages: readonly { info: { role: string } }[],
  window = LIVE_WINDOW,
): number {
  let start = Math.max(0, messages.length - window);
  while (start > 0 && messages[start].info.role !== "user") start--;
  return start;
}

export interface LiveSessionProps {
  directory: string;
  session?: { id: string; title: string; parentID?: string };
  subSessions?: { id: string; title: string }[];
  messages: MessageWithParts[];
  status: SessionStatusName;
  permissions: PermissionRequest[];
  questions: QuestionRequest[];
}

/**
 * Seeds the store from the page's props and keeps the chat current.
 *
 * @example
 * ```tsx
 * const live = useLiveSession(props, api);
 * live.list.value.value.map((entry) => <LiveMessage entry={entry} />);
 * ```
 */
export function useLiveSession(props: LiveSessionProps, api: ChatApi) {
  const { directory } = props;
  const sessionId = useSignal(props.session?.id);
  const title = useSignal(props.session?.title ?? "");
  const initialList = useMemo(() => seed(props), []);
  /** The message list on screen: replaced by the store's once a new chat becomes a session. */
  const list = useSignal(initialList);
  const entry = useComputed(
    () => (IS_BROWSER && sessionId.value ? sessions.value[sessionId.value] : undefined),
  );
  const pending = useComputed(() =>
    IS_BROWSER && sessionId.value
      ? pendingForSession(sessionId.value)
      : { permissions: props.permissions, questions: props.questions }
  );
  const status = IS_BROWSER ? entry.value?.status ?? "idle" : props.status;
  if (IS_BROWSER && entry.value?.title && entry.value.title !== title.peek()) {
    title.value = entry.value.title;
  }
  const sync = useMemo(
    () =>
      historySync({
        load: api.messages,
        minimum: LIVE_WINDOW,
        firstLiveId: props.messages[0]?.info.id,
      }),
    [],
  );

  useEffect(() => {
    /** Reloads the todo list, and unless `todosOnly` the messages, from OpenCode. */
    const reload = async (todosOnly = false) => {
      const id = sessionId.peek();
      if (!id) return;
      try {
        await Promise.all([
          todosOnly ? undefined : sync.reload(id, list.peek()),
          api.todos(id).then((todos) => updateSession(id, directory, { todos }), () => {}),
        ]);
      } catch { /* the connection indicator already tells; the next resync retries */ }
    };
    // The page is current as rendered, and the event stream resumes from the page's event id:
    // only the todo list, which the page does not render, is fetched now.
    reload(true);
    return onResync((changed) => {
      if (changed && changed !== directory) return;
      // Mid-reply, the events missed held text that OpenCode's API does not have yet (a part's
      // text is stored when it ends): the page, rendered by Palot with the text streamed so far as
      // of its event id, then followed from that id, has it all, with no gap and no double. The
      // draft is kept in local storage.
      const id = sessionId.peek();
      const working = id && ["busy", "retry"].includes(sessions.peek()[id]?.status ?? "");
      if (working && location.pathname === `/session/${encodeURIComponent(id)}`) {
        location.reload();
      } else reload();
    });
  }, []);

  return {
    sessionId,
    title,
    list,
    entry,
    pending,
    status,
    busy: status === "busy" || status === "retry",
    /**
     * Makes a just-created session the chat's own, and its address the page's; `at` is its folder
     * when it is not the chat's (a session started in a new worktree).
     */
    adopt(created: Session, at = directory) {
      seedSessions([{
        id: created.id,
        directory: at,
        server: pageServer(),
        info: created,
        title: created.title,
        projectID: created.projectID,
      }]);
      list.value = watchSession(created.id, []);
      sessionId.value = created.id;
      title.value = created.title;
      history.replaceState(null, "", pageHref(`/session/${encodeURIComponent(created.id)}`));
      // Forms that send the browser back here (the Theme control) now come back to the session.
      document.querySelectorAll<HTMLInputElement>('input[name="back"]')
        .forEach((input) => input.value = location.pathname);
    },
  };
}

export type LiveSession = ReturnType<typeof useLiveSession>;

function seed(props: LiveSessionProps): Signal<MessageEntry[]> {
  const { messages } = props;
  if (!IS_BROWSER) return signal(messageEntries(messages));
  const session = props.session;
  if (!session) return signal<MessageEntry[]>([]);
  seedSessions([
    {
      id: session.id,
      directory: props.directory,
      server: pageServer(),
      title: session.title,
      parentID: session.parentID,
      status: props.status,
    },
    ...(props.subSessions ?? []).map((child) => ({
      id: child.id,
      directory: props.directory,
      server: pageServer(),
      title: child.title,
      parentID: session.id,
    })),
  ]);
  const entry = sessions.peek()[session.id];
  if (entry && entry.permissions.length === 0 && entry.questions.length === 0) {
    const own = (request: { sessionID: string }) => request.sessionID === session.id;
    updateSession(session.id, props.directory, {
      permissions: props.permissions.filter(own),
      questions: props.questions.filter(own),
    });
  }
  return watchSession(session.id, messages);
}
