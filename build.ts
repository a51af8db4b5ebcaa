/**
 * Bundles the islands for the browser: `lib/client/boot.ts` and every `islands/*.tsx`, code-split
 * so Preact and shared stores load once, into `static/build/` (gitignored). A build writes a folder
 * of its own beside it and then takes `static/build/`'s name, so two builds at once (two test runs,
 * a test run and `deno task start`) never delete each other's files halfway: the last to finish
 * wins. `--watch` rebuilds on change into `static/build/` itself (used by `dev.ts`).
 */

import { join } from "node:path";

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
const { code } = await new Deno.Command(Deno.execPath(), { args, cwd: root }).spawn().status;
if (code !== 0) {
  if (!watch) await Deno.remove(target, { recursive: true }).catch(() => {});
  Deno.exit(code);
}
if (!watch) await takePlace(target, outdir);

/**
 * Renames `from` to `to`, moving whatever `to` holds aside first and removing it after. Another
 * build may put its own folder at `to` in between; then this one moves that aside and tries again.
 */
async function takePlace(from: string, to: string): Promise<void> {
  for (let attempt = 1;; attempt++) {
    const aside = `${from}.old`;
    await Deno.rename(to, aside).catch(() => {}); // Nothing there yet, or another build moved it.
    try {
      await Deno.rename(from, to);
      return;
    } catch (error) {
      if (attempt === 10) throw error;
    } finally {
      await Deno.remove(aside, { recursive: true }).catch(() => {});
    }
  }
}
