/**
 * Which slash command a user message came from. OpenCode stores a command's user message as its
 * template expanded (`$ARGUMENTS`, `$1`…, or the arguments appended when the template has no
 * placeholder), without the command's name; matching the text against each command's template
 * gives back what the user typed (`/init focus on tests`), so the chat shows that with the
 * template folded.
 *
 * @example
 * ```ts
 * commandInvocation("Review: src/app.ts", [{ name: "review", template: "Review: $ARGUMENTS" }]);
 * // { name: "review", arguments: "src/app.ts" }
 * ```
 */

export interface CommandTemplate {
  name: string;
  template: string;
}

export interface CommandInvocation {
  name: string;
  arguments: string;
}

const PLACEHOLDER = /\$ARGUMENTS|\$\d+/g;
const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** The command whose expanded template is `text`, and the arguments it was given. */
export function commandInvocation(
  text: string,
  commands: CommandTemplate[],
): CommandInvocation | undefined {
  const typed = text.trim();
  for (const command of commands) {
    const template = command.template.trim();
    if (!template) continue;
    const placeholders: string[] = template.match(PLACEHOLDER) ?? [];
    if (placeholders.length === 0) {
      if (typed === template) return { name: command.name, arguments: "" };
      if (typed.startsWith(`${template}\n\n`)) {
        return { name: command.name, arguments: typed.slice(template.length + 2).trim() };
      }
      continue;
    }
    const pattern = template.split(PLACEHOLDER).map(escape).join("([\\s\\S]*?)");
    const match = new RegExp(`^${pattern}$`).exec(typed);
    if (!match) continue;
    const values = match.slice(1);
    const all = placeholders.indexOf("$ARGUMENTS");
    const args = all >= 0
      ? values[all]
      : [...new Set(placeholders)].map((name) => values[placeholders.indexOf(name)]).join(" ");
    return { name: command.name, arguments: args.trim() };
  }
  return undefined;
}
