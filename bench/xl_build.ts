/** `deno run -A bench/xl_build.ts [--smoke]`: builds (or finds) the XL fixture and prints it. */

import { parseArgs } from "node:util";
import { ensureFixture } from "./fixture.ts";
import { ensureXlFixture, xlSizes } from "./xl_fixture.ts";

const { values } = parseArgs({ args: Deno.args, options: { smoke: { type: "boolean" } } });
const smoke = values.smoke ?? false;
const base = await ensureFixture(
  smoke ? { projects: 5, sessions: 60 } : { projects: 200, sessions: 10_000 },
);
console.log(await ensureXlFixture(base, xlSizes(smoke)));
