/**
 * Bundles the islands for the browser: `lib/client/boot.ts` and every `islands/*.tsx`, code-split
 * so Preact and shared stores load once, into `static/build/` (gitignored). A build writes a folder
 * of its own beside it, then moves each file into `static/build/` (a rename replaces a file whole)
 * and removes what the new build no longer has. So two builds at once (two test runs, a test run
 * and `deno task start`) never delete each other's files, and a Palot serving pages meanwhile never
 * misses one: the bundles of the same sources are the same files, named by their content.
 * `--watch` rebuilds on change into `static/build/` itself (used by `dev.ts`).
 */

import { dirname, join } from "node:path";

const root = import.meta.dirname!;
const islands = [...Deno.readDirSync(join(root, "islands"))]
  .filter((entry) => entry.isFile && entry.name.endsWith(".tsx"))
  .map((entry) => join("islands", entry.name))
  .sort();
const outdir = join(root, "static", "build");
const watch = Deno.args.includes("--watch");
if (watch) await Deno.remove(outdir, { recursive: true }).catch(() => {});
const target = watch
  ? outdir
  : await Deno.makeTempDir({ dir: join(root, "static"), prefix: "build." });
const args = [
  "bundle",
  "--quiet",
  "--platform",
  "browser",
  "--code-splitting",
  "--minify",
  "--outdir",
  target,
  ...(watch ? ["--watch"] : []),
  join("lib", "client", "boot.ts"),
  ...islands,
];
// The terminal's stylesheet, linked by its chunk (lib/client/terminal/xterm_view.ts) when it loads.
await Deno.mkdir(target, { recursive: true });
await Deno.copyFile(
  join(root, "node_modules", "@xterm", "xterm", "css", "xterm.css"),
  join(target, "xterm.css"),
);
const { code } = await new Deno.Command(Deno.execPath(), { args, cwd: root }).spawn().status;
if (code !== 0) {
  if (!watch) await Deno.remove(target, { recursive: true }).catch(() => {});
  Deno.exit(code);
}
if (!watch) {
  await moveInto(target, outdir);
  await Deno.remove(target, { recursive: true });
}

/** Every file under `dir`, as paths relative to it. */
function filesUnder(dir: string, prefix = ""): string[] {
  return [...Deno.readDirSync(join(dir, prefix))].flatMap((entry) =>
    entry.isDirectory
      ? filesUnder(dir, join(prefix, entry.name))
      : entry.isFile
      ? [join(prefix, entry.name)]
      : []
  );
}

/** Moves each file of `from` into `to`, then removes the files of `to` that `from` did not have. */
async function moveInto(from: string, to: string): Promise<void> {
  const built = filesUnder(from);
  for (const file of built) {
    await Deno.mkdir(dirname(join(to, file)), { recursive: true });
    await Deno.rename(join(from, file), join(to, file));
  }
  const kept = new Set(built);
  for (const file of filesUnder(to)) {
    if (!kept.has(file)) await Deno.remove(join(to, file)).catch(() => {});
  }
}
