/**
 * Git, run by Palot itself for what OpenCode does not do with worktrees (status, ahead/behind,
 * commit, merge): `git` through `Deno.Command`, never a shell, always in a given folder and with a
 * timeout, without prompts or pagers, in the C locale so its messages can be recognised.
 */

/** What one git command did. */
export interface GitResult {
  ok: boolean;
  code: number;
  stdout: string;
  stderr: string;
}

/** Git did not start, or did not finish in time. */
export class GitError extends Error {
  override name = "GitError";
}

/** Palot's author when git has no configured user (`-c user.name=… -c user.email=…`). */
export const FALLBACK_AUTHOR = { name: "Palot", email: "palot@localhost" };

export interface GitOptions {
  /** Longest wait in milliseconds (default 30,000). */
  timeoutMs?: number;
  /** Configuration given as `-c key=value` before the command. */
  config?: Record<string, string>;
  /** Extra environment (for example `GIT_INDEX_FILE`). */
  env?: Record<string, string>;
}

/**
 * Runs `git args…` in `cwd` and resolves with its output, whatever its exit code; throws a
 * {@linkcode GitError} only when git cannot run or runs out of time (it is then killed).
 *
 * @example
 * ```ts
 * const { stdout } = await git("/home/me/app", ["status", "--porcelain"]);
 * ```
 */
export async function git(
  cwd: string,
  args: string[],
  { timeoutMs = 30_000, config = {}, env = {} }: GitOptions = {},
): Promise<GitResult> {
  const settings = Object.entries(config).flatMap(([key, value]) => ["-c", `${key}=${value}`]);
  let output: Deno.CommandOutput;
  try {
    output = await new Deno.Command("git", {
      args: [...settings, ...args],
      cwd,
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
      env: {
        GIT_TERMINAL_PROMPT: "0",
        GIT_PAGER: "cat",
        GIT_EDITOR: "true",
        GIT_MERGE_AUTOEDIT: "no",
        LC_ALL: "C",
        // Reading status never takes the index lock another git (OpenCode's) may need.
        GIT_OPTIONAL_LOCKS: "0",
        ...env,
      },
      signal: AbortSignal.timeout(timeoutMs),
    }).output();
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      throw new GitError(
        `git is not installed or the folder ${cwd} is gone: install git, or check the folder`,
      );
    }
    throw new GitError(`git ${args[0]} did not finish within ${timeoutMs / 1000} s in ${cwd}`);
  }
  const decoder = new TextDecoder();
  return {
    ok: output.success,
    code: output.code,
    stdout: decoder.decode(output.stdout),
    stderr: decoder.decode(output.stderr),
  };
}

/** Like {@linkcode git}, but a failure throws a {@linkcode GitError} with git's own message. */
export async function gitOk(cwd: string, args: string[], options?: GitOptions): Promise<string> {
  const result = await git(cwd, args, options);
  if (!result.ok) {
    const said = (result.stderr || result.stdout).trim().split("\n").slice(-3).join(" ");
    throw new GitError(`git ${args[0]} failed: ${said || `exit code ${result.code}`}`);
  }
  return result.stdout;
}

/**
 * The `-c` settings a commit needs: none when git has a user configured for `cwd`, else Palot's
 * fallback author.
 */
export async function authorConfig(cwd: string): Promise<Record<string, string>> {
  const [name, email] = await Promise.all([
    git(cwd, ["config", "user.name"], { timeoutMs: 5_000 }),
    git(cwd, ["config", "user.email"], { timeoutMs: 5_000 }),
  ]);
  const config: Record<string, string> = {};
  if (!name.ok || !name.stdout.trim()) config["user.name"] = FALLBACK_AUTHOR.name;
  if (!email.ok || !email.stdout.trim()) config["user.email"] = FALLBACK_AUTHOR.email;
  return config;
}
