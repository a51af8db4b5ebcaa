/**
 * `Retry` on a failed or stopped turn: the same message again, as it was sent (its own text and its
 * files and attachments, to the same agent and model, with the same variant). OpenCode may still be
 * ending the stopped turn when the button shows (a prompt sent then is not run), so the click waits
 * until OpenCode says the session is idle, for a bounded time, and says so when it cannot.
 */

import type { Message, Part } from "@opencode-ai/sdk/v2/client";
import { server } from "../live/store.ts";
import type { ChatApi, PromptPart, PromptSettings } from "./chat_api.ts";

/** How long a click waits for OpenCode to end the last turn. */
export const RETRY_IDLE_MS = 15_000;
const POLL_MS = 200;

/**
 * The parts to send again: the user's own text (not what OpenCode added, such as a read file's
 * contents) and its files, in order.
 *
 * @example
 * ```ts
 * retryParts([{ type: "text", text: "Hi" }, { type: "file", mime: "image/png", url: "data:…" }]);
 * ```
 */
export function retryParts(parts: readonly Part[]): PromptPart[] {
  const out: PromptPart[] = [];
  for (const part of parts) {
    if (part.type === "text" && !part.synthetic && part.text.trim()) {
      out.push({ type: "text", text: part.text });
    } else if (part.type === "file") {
      out.push({
        type: "file",
        mime: part.mime,
        url: part.url,
        ...(part.filename ? { filename: part.filename } : {}),
        ...(part.source ? { source: part.source } : {}),
      });
    }
  }
  return out;
}

/** The agent, model and variant the message was sent with. */
export function retrySettings(info: Message): PromptSettings {
  if (info.role !== "user") return {};
  const { providerID, modelID, variant } = info.model ?? {};
  return {
    agent: info.agent,
    model: providerID && modelID ? { providerID, modelID } : undefined,
    variant,
  };
}

/** Resolves `true` once OpenCode says the session is idle, `false` after `timeoutMs`. */
export async function untilIdle(
  api: Pick<ChatApi, "idle">,
  sessionID: string,
  timeoutMs = RETRY_IDLE_MS,
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await api.idle(sessionID).catch(() => false)) return true;
    if (Date.now() >= deadline) return false;
    await new Promise((done) => setTimeout(done, POLL_MS));
  }
}

/**
 * Sends `message` (a user message with its parts) again; says why through `notify` and resolves
 * `false` when it could not.
 */
export async function retryMessage(
  { api, sessionID, info, parts, notify }: {
    api: Pick<ChatApi, "idle" | "prompt">;
    sessionID: string;
    info: Message;
    parts: readonly Part[];
    notify(message: string): void;
  },
): Promise<boolean> {
  notify("");
  const again = retryParts(parts);
  if (again.length === 0) {
    notify("This message has nothing to send again: write it in the box below.");
    return false;
  }
  if (!server.peek().connected) {
    notify("Not connected to OpenCode, so nothing was sent: press Retry once it says Connected.");
    return false;
  }
  if (!await untilIdle(api, sessionID)) {
    notify(
      "OpenCode is still ending the last turn, so Retry sent nothing: press Retry again in a moment.",
    );
    return false;
  }
  try {
    await api.prompt(sessionID, again, retrySettings(info));
    return true;
  } catch (reason) {
    notify(`Could not retry: ${(reason as Error).message}`);
    return false;
  }
}
