/**
 * Sending what the composer holds: the first Send of a new chat creates the session, then the text
 * goes out as a prompt. Nothing is sent while OpenCode is unreachable; every refusal is explained
 * through `notify`, and resolving `false` tells the composer to keep its draft.
 */

import { server } from "../../store/store.ts";
import type { ChatApi, PromptSettings } from "./api.ts";
import type { LiveSession } from "./live_session.ts";

export interface SendOptions {
  api: ChatApi;
  live: LiveSession;
  /** The toolbar's choice at the moment of sending. */
  settings(): PromptSettings;
  /** Shows a message to the user (an empty string clears it). */
  notify(message: string): void;
}

/**
 * The composer's `onSend`.
 *
 * @example
 * ```tsx
 * const send = sender({ api, live, settings: () => promptOptions(toolbar), notify: setNotice });
 * <Composer onSend={send} … />
 * ```
 */
export function sender({ api, live, settings, notify }: SendOptions) {
  return async (text: string): Promise<boolean> => {
    notify("");
    if (!server.peek().connected) {
      notify(
        "Not connected to OpenCode, so nothing was sent. Your message is kept; send it when the status says Connected.",
      );
      return false;
    }
    try {
      let id = live.sessionId.peek();
      if (!id) {
        const created = await api.create();
        live.adopt(created);
        id = created.id;
      }
      await api.prompt(id, [{ type: "text", text }], settings());
      return true;
    } catch (reason) {
      notify(`Could not send: ${(reason as Error).message}. Your message is kept.`);
      return false;
    }
  };
}
