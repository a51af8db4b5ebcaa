/**
 * The chat's calls to OpenCode for one project directory, through the SDK on Palot's proxy:
 * create, prompt, run a command or a shell command, stop, rename and delete a session, and read its
 * messages and todos. Each call throws an {@linkcode Error} whose message is fit to show the user
 * (the server's own words; a 409 says the agent is busy), so islands only compose and display.
 */

import type {
  Command,
  FilePartInput,
  Message,
  Part,
  Session,
  TextPartInput,
  Todo,
} from "@opencode-ai/sdk/v2/client";
import { getProjectClient } from "../live/clients.ts";

/** What a prompt, command or shell command is sent with (the toolbar's choice). */
export interface PromptSettings {
  agent?: string;
  model?: { providerID: string; modelID: string };
  variant?: string;
}

export type PromptPart = TextPartInput | FilePartInput;

/** The message OpenCode's error body carries, or a plain fallback. */
export function serverMessage(error: unknown, response?: Response): string {
  if (response?.status === 409) {
    return "The agent is busy: wait until it finishes, or press Stop";
  }
  if (error instanceof Error) return error.message;
  if (error && typeof error === "object") {
    const fields = error as { message?: unknown; data?: { message?: unknown }; name?: unknown };
    const text = fields.data?.message ?? fields.message ?? fields.name;
    if (typeof text === "string" && text) return text;
  }
  if (typeof error === "string" && error) return error;
  return response ? `OpenCode answered ${response.status}` : "OpenCode did not answer";
}

type Result<T> = { data?: T; error?: unknown; response?: Response };

/** The data of an SDK result, or an error with the server's message. */
async function unwrap<T>(call: Promise<Result<T>>): Promise<T> {
  let result: Result<T>;
  try {
    result = await call;
  } catch (reason) {
    throw new Error(serverMessage(reason));
  }
  if (result.error !== undefined || (result.response && !result.response.ok)) {
    throw new Error(serverMessage(result.error, result.response));
  }
  return result.data as T;
}

/**
 * The chat's API for one directory.
 *
 * @example
 * ```ts
 * const api = chatApi("/home/me/app");
 * const session = await api.create();
 * await api.prompt(session.id, [{ type: "text", text: "Hi" }], { agent: "build" });
 * ```
 */
export function chatApi(directory: string) {
  const client = () => getProjectClient(directory);
  return {
    create: (): Promise<Session> => unwrap(client().session.create({})),
    prompt: (sessionID: string, parts: PromptPart[], settings: PromptSettings) =>
      unwrap(client().session.promptAsync({ sessionID, parts, ...settings })),
    /**
     * Runs a slash command. OpenCode answers only when the turn ends, so this resolves once the
     * command has started (`started` resolves) or fails with the server's message.
     */
    command: (
      sessionID: string,
      command: { name: string; arguments: string; files: FilePartInput[] },
      settings: PromptSettings,
      started: Promise<unknown>,
    ) =>
      untilStarted(
        unwrap(
          client().session.command({
            sessionID,
            command: command.name,
            arguments: command.arguments,
            parts: command.files,
            agent: settings.agent,
            variant: settings.variant,
            model: settings.model
              ? `${settings.model.providerID}/${settings.model.modelID}`
              : undefined,
          }),
        ),
        started,
      ),
    /** Runs a shell command in the project; resolves once it has started, like `command`. */
    shell: (
      sessionID: string,
      command: string,
      settings: PromptSettings,
      started: Promise<unknown>,
    ) =>
      untilStarted(
        unwrap(
          client().session.shell({
            sessionID,
            command,
            agent: settings.agent ?? "build",
            model: settings.model,
          }),
        ),
        started,
      ),
    abort: (sessionID: string) => unwrap(client().session.abort({ sessionID })),
    /** Whether OpenCode has ended the session's turn (it lists only sessions not idle). */
    idle: async (sessionID: string): Promise<boolean> =>
      !(sessionID in await unwrap(client().session.status({}))),
    rename: (sessionID: string, title: string) =>
      unwrap(client().session.update({ sessionID, title })),
    remove: (sessionID: string) => unwrap(client().session.delete({ sessionID })),
    /** The latest `limit` messages, oldest first. */
    messages: (sessionID: string, limit?: number): Promise<{ info: Message; parts: Part[] }[]> =>
      unwrap(client().session.messages({ sessionID, limit })),
    todos: (sessionID: string): Promise<Todo[]> => unwrap(client().session.todo({ sessionID })),
    /** The project's slash commands: configured commands, MCP prompts and skills. */
    commands: (): Promise<Command[]> => unwrap(client().command.list({})),
    /** Files and folders matching `query` (folders end with `/`), paths relative to the project. */
    findFiles: (query: string, limit = 50): Promise<string[]> =>
      unwrap(client().find.files({ query, dirs: "true", limit })),
    /** Whether a file or folder (relative to the project) exists now. */
    exists: async (path: string): Promise<boolean> => {
      const trimmed = path.replace(/\/+$/, "");
      const slash = trimmed.lastIndexOf("/");
      const parent = slash < 0 ? "" : trimmed.slice(0, slash);
      const nodes = await unwrap(client().file.list({ path: parent || "." })).catch(() => []);
      return nodes.some((node) => node.path === trimmed || node.name === trimmed.slice(slash + 1));
    },
  };
}

export type ChatApi = ReturnType<typeof chatApi>;

/**
 * Resolves when `started` does or `request` succeeds, whichever is first; rejects when `request`
 * fails first. The request keeps running either way (its end is the turn's end).
 */
function untilStarted(request: Promise<unknown>, started: Promise<unknown>): Promise<void> {
  request.catch(() => {}); // a failure after the start is the turn's own error, shown by events
  return Promise.race([request, started]).then(() => {});
}
