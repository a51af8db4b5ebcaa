/**
 * The state of the message box's menu: which menu the caret asks for (`/` commands at the start,
 * `@` files in a word, see `triggers.ts`), its options (commands loaded on the first `/`, files
 * searched as the query changes), the active option, and a menu closed with Escape, which stays
 * closed until the caret leaves what opened it.
 */

import { useEffect, useState } from "preact/hooks";
import type { Command } from "@opencode-ai/sdk/v2/client";
import type { ChatApi } from "./chat_api.ts";
import { commandOptions } from "./commands.ts";
import { useFileSearch } from "./mentions.ts";
import { triggerAt } from "./triggers.ts";

/**
 * The menu for `text` with the caret at `caret`.
 *
 * @example
 * ```ts
 * const menu = useCompletion(text, caret, api, commands);
 * if (menu.open) <Menu options={menu.options} active={menu.active} … />
 * ```
 */
export function useCompletion(
  text: string,
  caret: number,
  api: ChatApi,
  loadCommands: () => Promise<Command[]>,
) {
  const [active, setActive] = useState(0);
  const [dismissed, setDismissed] = useState("");
  const [commands, setCommands] = useState<Command[] | undefined>(undefined);
  const trigger = triggerAt(text, caret);
  const key = trigger ? `${trigger.kind}:${trigger.start}` : "";
  const wanted = trigger && key !== dismissed ? trigger : undefined;
  useEffect(() => {
    if (wanted?.kind === "command" && !commands) loadCommands().then(setCommands, () => {});
  }, [wanted?.kind]);
  const files = useFileSearch(api, wanted?.kind === "mention" ? wanted.query : undefined);
  const options = !wanted
    ? []
    : wanted.kind === "command"
    ? commandOptions(commands ?? [], wanted.query)
    : files;
  useEffect(() => setActive(0), [key, wanted?.query]);
  useEffect(() => {
    if (!trigger) setDismissed("");
  }, [key]);
  return {
    /** What the menu completes, while it is wanted. */
    trigger: wanted,
    options,
    open: options.length > 0,
    active: Math.min(active, Math.max(0, options.length - 1)),
    setActive,
    /** Closes the menu (Escape); the text stays as it is. */
    dismiss: () => setDismissed(key),
  };
}
