/**
 * Bundles the islands for the browser: `lib/client/boot.ts` and every `islands/*.tsx`, code-split so
 * Preact and shared stores load once, into `static/build/` (gitignored). `--watch` rebuilds on
 * change (used by `dev.ts`).
 */

import { join } from "node:path";

const root = import.meta.dirname!;
const islands = [...Deno.readDirSync(join(root, "islands"))]
  .filter((entry) => entry.isFile && entry.name.endsWith(".tsx"))
  .map((entry) => join("islands", entry.name))
  .sort();
const outdir = join(root, "static", "build");
await Deno.remove(outdir, { recursive: true }).catch(() => {});
const args = [
  "bundle",
  "--quiet",
  "--platform",
  "browser",
  "--code-splitting",
  "--minify",
  "--outdir",
  outdir,
  ...(Deno.args.includes("--watch") ? ["--watch"] : []),
  join("lib", "client", "boot.ts"),
  ...islands,
];
const { code } = await new Deno.Command(Deno.execPath(), { args, cwd: root }).spawn().status;
if (code !== 0) Deno.exit(code);
