/**
 * The accessibility audit of the browser suite: axe-core (npm) run inside a page, failing on any
 * serious or critical violation with the rule, the elements and how to fix them. Every page the
 * suite shows should pass it, in both themes.
 *
 * @example
 * ```ts
 * await assertAccessible(page, "home, dark");
 * ```
 */

import { createRequire } from "node:module";
import type { Page } from "playwright-core";

const AXE_SOURCE = Deno.readTextFileSync(
  createRequire(import.meta.url).resolve("axe-core/axe.min.js"),
);

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[]; failureSummary?: string }[];
}

/** Serious and critical axe-core violations of the page as it is now. */
export async function seriousViolations(page: Page): Promise<AxeViolation[]> {
  // Evaluated through the DevTools protocol, so the page's script policy does not apply.
  if (!await page.evaluate(() => "axe" in globalThis)) await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate(async () => {
    const axe = (globalThis as unknown as {
      axe: { run(context: Document, options: unknown): Promise<{ violations: AxeViolation[] }> };
    }).axe;
    const result = await axe.run(document, { resultTypes: ["violations"] });
    return result.violations;
  });
  return violations.filter((violation) => ["serious", "critical"].includes(violation.impact ?? ""));
}

/** Fails with a readable list when the page has a serious or critical violation. */
export async function assertAccessible(page: Page, label: string): Promise<void> {
  const violations = await seriousViolations(page);
  if (violations.length === 0) return;
  const lines = violations.flatMap((violation) => [
    `${violation.id} (${violation.impact}): ${violation.help}`,
    ...violation.nodes.slice(0, 5).map((node) =>
      `  ${node.target.join(" ")}: ${node.failureSummary?.replaceAll("\\n", " ")}`
    ),
  ]);
  throw new Error(`Accessibility violations on ${label}:\n${lines.join("\n")}`);
}
