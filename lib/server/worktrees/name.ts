/**
 * A worktree's name from the first words of the message that starts it: lower case ASCII letters,
 * digits and dashes (so `opencode/<name>` is a valid branch name and a plain folder name), at most
 * a few words, made unique among the names already taken by adding `-2`, `-3`….
 */

/** Words of the message the name keeps. */
const WORDS = 4;
/** Longest name, in characters. */
const LONGEST = 40;

/**
 * The slug of `text`'s first words; `"session"` when nothing usable is left.
 *
 * @example
 * ```ts
 * worktreeSlug("Fix the login bug, please!"); // "fix-the-login-bug"
 * ```
 */
export function worktreeSlug(text: string): string {
  const words = text
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean)
    .slice(0, WORDS);
  let slug = "";
  for (const word of words) {
    const next = slug ? `${slug}-${word}` : word;
    if (next.length > LONGEST) break;
    slug = next;
  }
  return slug || words[0]?.slice(0, LONGEST) || "session";
}

/**
 * A name for a new worktree from `text`, not among `taken` (names of existing worktrees or of
 * their branches without the `opencode/` prefix).
 *
 * @example
 * ```ts
 * worktreeName("Fix the bug", new Set(["fix-the-bug"])); // "fix-the-bug-2"
 * ```
 */
export function worktreeName(text: string, taken: Set<string>): string {
  const slug = worktreeSlug(text);
  if (!taken.has(slug)) return slug;
  for (let n = 2;; n++) {
    const name = `${slug}-${n}`;
    if (!taken.has(name)) return name;
  }
}
