/**
 * Reading the message box as the composer's menus and Send see it, as pure functions over the
 * text and the caret: a `/command` typed at the very start, an `@file` being typed, what a message
 * asks for when sent (a prompt, a slash command with its arguments, or a `!` shell command), and
 * the text after a menu's choice replaced what was typed.
 */

/** What the caret is in, when a menu should open. */
export interface Trigger {
  kind: "command" | "mention";
  /** The text typed after `/` or `@`. */
  query: string;
  /** Where the `/` or `@` is. */
  start: number;
  /** Where the typed query ends (the caret). */
  end: number;
}

/**
 * The menu the caret asks for: a `/` at the start of the message (before any space), or an `@`
 * at the start of a word, each followed by no space up to the caret.
 *
 * @example
 * ```ts
 * triggerAt("/rev", 4); // {kind: "command", query: "rev", start: 0, end: 4}
 * triggerAt("see @src/ma", 11); // {kind: "mention", query: "src/ma", start: 4, end: 11}
 * ```
 */
export function triggerAt(text: string, caret: number): Trigger | undefined {
  const before = text.slice(0, caret);
  const command = /^\/(\S*)$/.exec(before);
  if (command) return { kind: "command", query: command[1], start: 0, end: caret };
  const mention = /(^|\s)@(\S*)$/.exec(before);
  if (mention) {
    const start = caret - mention[2].length - 1;
    return { kind: "mention", query: mention[2], start, end: caret };
  }
  return undefined;
}

/** `text` with `trigger`'s range replaced by `replacement`, and where the caret goes. */
export function replaceTrigger(
  text: string,
  trigger: Trigger,
  replacement: string,
): { text: string; caret: number } {
  const after = text.slice(trigger.end).replace(/^\S*/, "");
  const spaced = after.startsWith(" ") ? replacement.trimEnd() : replacement;
  return {
    text: text.slice(0, trigger.start) + spaced + after,
    caret: trigger.start + spaced.length + (after.startsWith(" ") ? 1 : 0),
  };
}

/** What a message asks for when it is sent. */
export type Outgoing =
  | { kind: "prompt"; text: string }
  | { kind: "command"; name: string; arguments: string }
  | { kind: "shell"; command: string };

/**
 * Classifies a message: `!cmd` is a shell command, `/name args` a slash command when `name` is one
 * of `commands`; anything else (an unknown `/word`, a `/` later in the line) is a prompt.
 *
 * @example
 * ```ts
 * outgoing("/review main", new Set(["review"])); // {kind: "command", name: "review", arguments: "main"}
 * outgoing("!ls -la", new Set()); // {kind: "shell", command: "ls -la"}
 * ```
 */
export function outgoing(text: string, commands: ReadonlySet<string>): Outgoing {
  if (text.startsWith("!") && text.slice(1).trim()) {
    return { kind: "shell", command: text.slice(1).trim() };
  }
  const command = /^\/(\S+)(?:\s+([\s\S]*))?$/.exec(text.trim());
  if (command && commands.has(command[1])) {
    return { kind: "command", name: command[1], arguments: (command[2] ?? "").trim() };
  }
  return { kind: "prompt", text };
}

/** Whether `text` may be a slash command or a shell command (so the command list is needed). */
export function mayBeCommand(text: string): boolean {
  return /^\/\S/.test(text.trim());
}
