/**
 * Finding the opencode executable. The order is the one the README documents: the
 * `--opencode-bin` flag, then `OPENCODE_BIN`, then `opencode` on `PATH`, then the binary of the
 * `opencode-<os>-<arch>` npm package pinned in deno.json (installed under `node_modules/`), so a
 * machine with only Deno needs nothing else.
 */

import { join } from "node:path";

/** Where the opencode binary came from, for the log. */
export type BinarySource = "--opencode-bin" | "OPENCODE_BIN" | "PATH" | "npm package";

export interface ResolvedBinary {
  path: string;
  source: BinarySource;
}

/** The pinned npm package's binary for this platform, whether or not it is installed. */
export function npmOpencodeBinary(): string {
  const os = Deno.build.os === "windows" ? "windows" : Deno.build.os;
  const arch = Deno.build.arch === "aarch64" ? "arm64" : "x64";
  const exe = os === "windows" ? "opencode.exe" : "opencode";
  const root = join(import.meta.dirname ?? ".", "..", "..", "..", "..", "node_modules");
  return join(root, `opencode-${os}-${arch}`, "bin", exe);
}

/**
 * Resolves the opencode binary, or throws an error whose message tells the fix.
 *
 * @example
 * ```ts
 * const { path, source } = resolveOpencodeBinary({ flag: undefined });
 * console.log(`Using opencode from ${source}: ${path}`);
 * ```
 */
export function resolveOpencodeBinary(
  options: { flag?: string; env?: (name: string) => string | undefined } = {},
): ResolvedBinary {
  const env = options.env ?? ((name: string) => Deno.env.get(name));
  if (options.flag) {
    return { path: requireExecutable(options.flag, "--opencode-bin"), source: "--opencode-bin" };
  }
  const fromEnv = env("OPENCODE_BIN");
  if (fromEnv) return { path: requireExecutable(fromEnv, "OPENCODE_BIN"), source: "OPENCODE_BIN" };
  for (const dir of (env("PATH") ?? "").split(Deno.build.os === "windows" ? ";" : ":")) {
    if (!dir) continue;
    const candidate = join(dir, Deno.build.os === "windows" ? "opencode.exe" : "opencode");
    if (isExecutable(candidate)) return { path: candidate, source: "PATH" };
  }
  const bundled = npmOpencodeBinary();
  if (isExecutable(bundled)) return { path: bundled, source: "npm package" };
  throw new Error(
    'Cannot find opencode: install it (npm i -g opencode-ai), run "deno install" in the Palot folder, or pass --opencode-bin PATH',
  );
}

function requireExecutable(path: string, from: string): string {
  if (!isExecutable(path)) {
    throw new Error(`Cannot run opencode at "${path}" (from ${from}): no such executable file`);
  }
  return path;
}

function isExecutable(path: string): boolean {
  try {
    const info = Deno.statSync(path);
    return info.isFile && (Deno.build.os === "windows" || ((info.mode ?? 0) & 0o111) !== 0);
  } catch {
    return false;
  }
}
