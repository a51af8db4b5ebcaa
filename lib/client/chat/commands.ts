/**
 * The project's slash commands for the `/` menu and for Send: read once per page from
 * `command.list` (configured commands, MCP prompts and skills, each with its description) and
 * filtered as the user types, names starting with the query first.
 */

import type { Command } from "@opencode-ai/sdk/v2/client";
import type { ChatApi } from "./chat_api.ts";
import type { MenuOption } from "./menu.tsx";

/**
 * Loads the command list once; a failed load is retried on the next call.
 *
 * @example
 * ```ts
 * const commands = commandList(api);
 * const names = new Set((await commands()).map((command) => command.name));
 * ```
 */
export function commandList(api: ChatApi): () => Promise<Command[]> {
  let loaded: Promise<Command[]> | undefined;
  return () => {
    loaded ??= api.commands().catch((reason) => {
      loaded = undefined;
      throw reason;
    });
    return loaded;
  };
}

/** The commands matching `query`, as menu options. */
export function commandOptions(commands: Command[], query: string): MenuOption[] {
  const needle = query.toLowerCase();
  const starts = commands.filter((command) => command.name.toLowerCase().startsWith(needle));
  const contains = commands.filter((command) =>
    !command.name.toLowerCase().startsWith(needle) &&
    command.name.toLowerCase().includes(needle)
  );
  return [...starts, ...contains].map((command) => ({
    key: command.name,
    label: `/${command.name}`,
    detail: describe(command),
  }));
}

function describe(command: Command): string | undefined {
  const text = command.description ?? "";
  const kind = command.source === "mcp" ? "MCP prompt" : command.source === "skill" ? "skill" : "";
  const short = text.length > 120 ? `${text.slice(0, 117)}…` : text;
  return [kind, short].filter(Boolean).join(": ") || undefined;
}
