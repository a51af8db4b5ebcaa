/**
 * Sending what the composer holds. The first Send of a new chat creates the session; then the
 * message goes out as what it asks for: `!cmd` runs a shell command (`session.shell`, with the
 * toolbar's agent), `/name args` a known slash command (`session.command`), anything else a prompt
 * whose mentions and attachments travel as file parts. Nothing is sent while OpenCode is
 * unreachable, nor a command or shell command while the agent is busy (OpenCode would answer 409),
 * nor a message whose mentioned file has gone. Every refusal is explained through `notify`, and
 * resolving `false` tells the composer to keep its draft.
 */

import { effect, type Signal } from "@preact/signals";
import type { Command } from "@opencode-ai/sdk/v2/client";
import { type MessageEntry, server } from "../live/store.ts";
import { type ChatApi, chatApi, type PromptSettings } from "./chat_api.ts";
import { attachmentParts } from "./attachments.tsx";
import type { OutgoingDraft } from "./composer.tsx";
import type { LiveSession } from "./live_session.ts";
import { mentionParts, vanished } from "./mentions.ts";
import { createWorktree } from "./new_worktree.tsx";
import { mayBeCommand, outgoing } from "./triggers.ts";

export interface SendOptions {
  api: ChatApi;
  directory: string;
  live: LiveSession;
  /** The project's slash commands. */
  commands(): Promise<Command[]>;
  /** The toolbar's choice at the moment of sending. */
  settings(): PromptSettings;
  /** Shows a message to the user (an empty string clears it). */
  notify(message: string): void;
  /** Whether the first Send starts the session in a new git worktree (`New worktree`). */
  newWorktree?(): boolean;
  /** Called with a session started in a new worktree, once its message is sent (to open it). */
  moved?(sessionId: string): void;
}

const KEPT = "Your message is kept.";

/**
 * The composer's `onSend`.
 *
 * @example
 * ```tsx
 * const send = sender({ api, directory, live, commands, settings, notify: setNotice });
 * <Composer onSend={send} … />
 * ```
 */
export function sender(options: SendOptions) {
  const { api, live, notify } = options;
  return async (draft: OutgoingDraft): Promise<boolean> => {
    notify("");
    if (!server.peek().connected) {
      notify(
        `Not connected to OpenCode, so nothing was sent. ${KEPT} Send it when the status says Connected.`,
      );
      return false;
    }
    const text = draft.text.trim();
    let names = new Set<string>();
    if (mayBeCommand(text)) {
      try {
        names = new Set((await options.commands()).map((command) => command.name));
      } catch (reason) {
        notify(`Could not read the commands: ${(reason as Error).message}. ${KEPT}`);
        return false;
      }
    }
    const what = outgoing(text, names);
    if (what.kind !== "prompt" && live.busy) {
      notify(
        `The agent is busy, so the ${
          what.kind === "shell" ? "shell command" : "command"
        } was not run: wait until it finishes, or press Stop. ${KEPT}`,
      );
      return false;
    }
    try {
      const missing = await vanished(api, draft.mentions);
      if (missing.length) {
        notify(
          `${missing.map((path) => `"${path}"`).join(", ")} no longer ${
            missing.length === 1 ? "exists" : "exist"
          } in the project, so nothing was sent. Remove the mention or restore the file. ${KEPT}`,
        );
        return false;
      }
      let id = live.sessionId.peek();
      let target = api;
      let directory = options.directory;
      let moved = false;
      if (!id && options.newWorktree?.()) {
        notify("Creating a worktree for this session…");
        try {
          directory = (await createWorktree(options.directory, text)).directory;
        } catch (reason) {
          notify(`Could not create the worktree: ${(reason as Error).message}. ${KEPT}`);
          return false;
        }
        target = chatApi(directory);
        const created = await target.create();
        live.adopt(created, directory);
        id = created.id;
        moved = true;
      }
      if (!id) {
        const created = await api.create();
        live.adopt(created);
        id = created.id;
      }
      const files = [
        ...mentionParts(directory, draft.mentions),
        ...attachmentParts(draft.attachments),
      ];
      const settings = options.settings();
      const sent = () => {
        if (moved) options.moved?.(id);
        return true;
      };
      if (what.kind === "prompt") {
        await target.prompt(id, [{ type: "text", text: draft.text }, ...files], settings);
        return sent();
      }
      const started = nextUserMessage(live.list.peek());
      try {
        if (what.kind === "shell") {
          await target.shell(id, what.command, settings, started.promise);
        } else {
          await target.command(
            id,
            { name: what.name, arguments: what.arguments, files },
            settings,
            started.promise,
          );
        }
      } catch (reason) {
        notify(
          what.kind === "shell"
            ? `Could not run the shell command: ${(reason as Error).message}. ${KEPT}`
            : `OpenCode refused /${what.name}: ${(reason as Error).message}. ${KEPT}`,
        );
        return false;
      } finally {
        started.dispose();
      }
      return sent();
    } catch (reason) {
      notify(`Could not send: ${(reason as Error).message}. ${KEPT}`);
      return false;
    }
  };
}

/** Resolves when a user message that is not in `list` yet appears in it. */
function nextUserMessage(list: Signal<MessageEntry[]>) {
  const known = new Set(list.peek().map((entry) => entry.id));
  let resolve!: () => void;
  const promise = new Promise<void>((done) => resolve = done);
  const dispose = effect(() => {
    if (list.value.some((entry) => !known.has(entry.id) && entry.info.value.role === "user")) {
      resolve();
    }
  });
  return { promise, dispose };
}
