/**
 * The XL home page in a browser, against a Palot process (`deno run main.ts`) over the XL data
 * folder: its first contentful paint beside the regular fixture's in the same run and browser
 * (the budget: at most 1.2 times), and Palot's RSS once its search index is built with ten
 * tabs open on `/` (budget 150 MB). Each Palot gets a state folder of its own, so the XL one
 * builds its index from the start, as on a first run.
 *
 * @example
 * ```ts
 * figures.push(...await xlBrowserFigures(xl, base, { runs: 5 }));
 * ```
 */

import { launchChromium } from "../e2e/harness.ts";
import { type RunningPalot, startPalot } from "../testing/palot.ts";
import { OpencodeWorld, waitFor } from "../testing/world.ts";
import type { Fixture } from "./fixture.ts";
import { median, rssMb } from "./figures.ts";
import type { Figure } from "./run.ts";
import { medianFirstPaint } from "./side_by_side.ts";
import type { XlFixture } from "./xl_fixture.ts";

/** Longest wait for the XL index's first build (measured 22 to 110 s on a loaded 2-core machine). */
const BUILD_TIMEOUT_MS = 600_000;

/** The XL browser figures; `runs` first paints of each home page. */
export async function xlBrowserFigures(
  xl: XlFixture,
  base: Fixture,
  { runs }: { runs: number },
): Promise<Figure[]> {
  // Worlds of their own (state, config): only the data folder is the fixture's, read-only.
  await using xlWorld = await OpencodeWorld.create();
  await using baseWorld = await OpencodeWorld.create();
  await using xlPalot = await startPalot(xlWorld, { args: ["--data-dir", xl.dataDir] });
  await using basePalot = await startPalot(baseWorld, { args: ["--data-dir", base.dataDir] });
  const browser = await launchChromium();
  try {
    await indexBuilt(xlPalot);
    await indexBuilt(basePalot);
    await (await browser.newPage()).close(); // the browser's own first-page start-up, untimed
    // Interleaved, so a busy moment of the machine weighs on both alike.
    const xlPaints: number[] = [];
    const basePaints: number[] = [];
    for (let i = 0; i < runs; i++) {
      xlPaints.push(await medianFirstPaint(browser, xlPalot.url, 1));
      basePaints.push(await medianFirstPaint(browser, basePalot.url, 1));
    }
    const contexts = await Promise.all(Array.from({ length: 10 }, () => browser.newContext()));
    for (const context of contexts) await (await context.newPage()).goto(xlPalot.url);
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    const rssWithTenTabs = await rssMb(xlPalot.process.pid);
    await Promise.all(contexts.map((context) => context.close()));
    return [
      {
        name: `XL: first contentful paint of \`/\` (median of ${runs})`,
        value: median(xlPaints),
        unit: "ms",
      },
      {
        name: "XL: first contentful paint of `/` ÷ the regular fixture's, same run",
        value: median(xlPaints) / median(basePaints),
        unit: "×",
        budget: 1.2,
      },
      {
        name: "XL: Palot's RSS after its index's first build, with 10 tabs open on `/`",
        value: rssWithTenTabs,
        unit: "MB",
        budget: 150,
      },
    ];
  } finally {
    await browser.close();
  }
}

/** Waits until `palot`'s search index has had its first build (its search page says no more). */
async function indexBuilt(palot: RunningPalot): Promise<void> {
  await waitFor(async () => {
    const html = await (await palot.fetch("/search?q=bench")).text();
    return !/Still indexing|being prepared|Search is unavailable/.test(html);
  }, { timeoutMs: BUILD_TIMEOUT_MS, message: "the search index built" });
}
