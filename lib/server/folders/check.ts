/**
 * What a typed folder path means: `~` expanded to the home folder, the result normalised, and
 * checked to be an existing folder Palot can read. {@linkcode checkFolder} turns every bad input
 * (empty, relative, missing, a file, unreadable) into one sentence to show next to the field.
 */

import { isAbsolute, join, normalize } from "node:path";

/** The outcome of {@linkcode checkFolder}: the folder's absolute path, or why it cannot be opened. */
export type FolderCheck = { ok: true; path: string } | { ok: false; error: string };

/**
 * `~` or `~/…` expanded to `home`; any other path unchanged.
 *
 * @example
 * ```ts
 * expandHome("~/code", "/home/me"); // "/home/me/code"
 * ```
 */
export function expandHome(input: string, home: string): string {
  if (input === "~") return home;
  if (input.startsWith("~/")) return join(home, input.slice(2));
  return input;
}

/** An absolute path, normalised, without a trailing separator (except the root itself). */
export function cleanPath(path: string): string {
  const normal = normalize(path);
  return normal.length > 1 ? normal.replace(/\/+$/, "") : normal;
}

/**
 * Checks that `input` names a folder Palot can open.
 *
 * @example
 * ```ts
 * const check = await checkFolder("~/code/app", { home: "/home/me" });
 * if (!check.ok) console.log(check.error);
 * ```
 */
export async function checkFolder(input: string, { home }: { home: string }): Promise<FolderCheck> {
  const typed = input.trim();
  if (!typed) return { ok: false, error: "Type the path of a folder, such as ~/code/app" };
  const expanded = expandHome(typed, home);
  if (!isAbsolute(expanded)) {
    return {
      ok: false,
      error: `"${typed}" is a relative path: type a full path, starting with / or ~`,
    };
  }
  const path = cleanPath(expanded);
  let info: Deno.FileInfo;
  try {
    info = await Deno.stat(path);
  } catch (error) {
    if (error instanceof Deno.errors.PermissionDenied) {
      return { ok: false, error: `Palot is not allowed to read "${path}"` };
    }
    return { ok: false, error: `There is no folder "${path}"` };
  }
  if (!info.isDirectory) return { ok: false, error: `"${path}" is a file, not a folder` };
  try {
    // Reading one entry proves the folder can be listed, without listing a huge one.
    for await (const _ of Deno.readDir(path)) break;
  } catch {
    return { ok: false, error: `Palot is not allowed to read "${path}"` };
  }
  return { ok: true, path };
}

/**
 * Whether `path` is inside a git repository (it or a parent folder holds `.git`), as OpenCode
 * decides whether a folder gets its own project and file-change undo.
 */
export async function isGitRepository(path: string): Promise<boolean> {
  let current = cleanPath(path);
  while (true) {
    try {
      await Deno.stat(join(current, ".git"));
      return true;
    } catch { /* not here: try the parent */ }
    const parent = cleanPath(join(current, ".."));
    if (parent === current) return false;
    current = parent;
  }
}

/** The home folder `~` stands for: `$HOME` (or `%USERPROFILE%`), else the root. */
export function homeFolder(): string {
  return Deno.env.get("HOME") ?? Deno.env.get("USERPROFILE") ?? "/";
}
