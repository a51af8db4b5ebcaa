/**
 * The pane's `Sub-agents` tab, for a session whose agent started others (the `task` tool,
 * `session.children`): each with its title, agent, live status and cost; opening one shows its
 * conversation here, kept live, with the way back to the parent session.
 */

import { useEffect, useState } from "preact/hooks";
import type { Message, Part } from "@opencode-ai/sdk/v2/client";
import { getProjectClient } from "../live/clients.ts";
import { type MessageEntry, sessions, watchSession } from "../live/store.ts";
import { MessageList } from "../ui/messages.tsx";
import { formatCost } from "../ui/format.ts";
import { StatusBadge } from "../ui/status_badge.tsx";
import type { SubSession } from "./pane_state.ts";
import { pageHref } from "../live/page_server.ts";

interface Facts {
  agent?: string;
  cost: number;
}

type Messages = { info: Message; parts: Part[] }[];

/** The agent a sub-agent session runs (its first message's) and what it cost so far. */
function factsOf(messages: Messages): Facts {
  const first = messages.find((message) => message.info.role === "user")?.info;
  return {
    agent: first?.role === "user" ? first.agent : undefined,
    cost: messages.reduce(
      (sum, message) => sum + (message.info.role === "assistant" ? message.info.cost ?? 0 : 0),
      0,
    ),
  };
}

async function messagesOf(directory: string, sessionID: string): Promise<Messages> {
  const { data, response } = await getProjectClient(directory).session.messages({ sessionID });
  if (!data) throw new Error(`OpenCode answered ${response?.status ?? "nothing"}`);
  return data;
}

export function AgentsTab(
  { directory, parentTitle, subSessions }: {
    directory: string;
    parentTitle: string;
    subSessions: SubSession[];
  },
) {
  const [opened, setOpened] = useState<SubSession>();
  const [facts, setFacts] = useState<Record<string, Facts>>({});
  const statuses = subSessions.map((child) => sessions.value[child.id]?.status ?? "idle");
  // Read again as each one's status changes (its cost grows while it works).
  useEffect(() => {
    let current = true;
    for (const child of subSessions) {
      messagesOf(directory, child.id).then((messages) => {
        if (current) setFacts((known) => ({ ...known, [child.id]: factsOf(messages) }));
      }, () => {/* the row still has its title and status */});
    }
    return () => {
      current = false;
    };
  }, [directory, subSessions.map((child) => child.id).join(), statuses.join()]);

  if (opened) {
    return (
      <SubAgentSession
        directory={directory}
        session={opened}
        parentTitle={parentTitle}
        onBack={() => setOpened(undefined)}
      />
    );
  }
  return (
    <ul class="sub-agents" aria-label="Sub-agent sessions">
      {subSessions.map((child, index) => {
        const known = facts[child.id];
        return (
          <li key={child.id} class="sub-agent">
            <button type="button" class="sub-agent-open" onClick={() => setOpened(child)}>
              {sessions.value[child.id]?.title || child.title || "Untitled sub-agent"}
            </button>
            <span class="sub-agent-facts">
              {known?.agent && <span class="sub-agent-agent">{known.agent}</span>}
              <StatusBadge status={statuses[index]} />
              {known && formatCost(known.cost) && (
                <span class="sub-agent-cost">{formatCost(known.cost)}</span>
              )}
            </span>
          </li>
        );
      })}
    </ul>
  );
}

function SubAgentSession(
  { directory, session, parentTitle, onBack }: {
    directory: string;
    session: SubSession;
    parentTitle: string;
    onBack(): void;
  },
) {
  const [list, setList] = useState<MessageEntry[] | undefined>();
  const [problem, setProblem] = useState("");
  const [entries, setEntries] = useState<ReturnType<typeof watchSession>>();
  useEffect(() => {
    messagesOf(directory, session.id).then(
      (messages) => setEntries(watchSession(session.id, messages)),
      (error) => setProblem(`Cannot read the sub-agent's messages: ${(error as Error).message}`),
    );
  }, [session.id]);
  useEffect(() => entries?.subscribe(setList), [entries]);
  const title = sessions.value[session.id]?.title || session.title || "Untitled sub-agent";
  return (
    <div class="sub-agent-session" role="region" aria-label={`Sub-agent: ${title}`}>
      <div class="sub-agent-head">
        <button type="button" class="button small" onClick={onBack}>
          ← Back to {parentTitle}
        </button>
        <a class="sub-agent-page" href={pageHref(`/session/${encodeURIComponent(session.id)}`)}>
          Open its page
        </a>
      </div>
      <h3>{title}</h3>
      {problem && <p class="pane-error" role="alert">{problem}</p>}
      {!list && !problem && <p class="muted pane-empty">Reading its messages…</p>}
      {list && list.length === 0 && <p class="muted pane-empty">No messages yet.</p>}
      {list && (
        <div class="sub-agent-messages">
          <MessageList
            messages={list.map((entry) => ({
              info: entry.info.value,
              parts: entry.parts.value.map((part) => part.value),
            }))}
          />
        </div>
      )}
    </div>
  );
}
