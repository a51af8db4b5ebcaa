/**
 * The toolbar's `Agent` picker as tests use it (a combobox whose listbox, `Agents`, shows when
 * open): the chosen agent, the agents offered, and choosing one.
 */

import type { Page } from "playwright-core";

/** The `Agent` field once the toolbar's options are loaded (a page's "toolbar ready"). */
export const AGENT_READY = '[role=combobox][aria-label="Agent"]:not([disabled])';

/** The `Agent` field. */
export const agentField = (page: Page) => page.getByRole("combobox", { name: "Agent" });

/** The chosen agent's name. */
export function agentValue(page: Page): Promise<string | null> {
  return agentField(page).getAttribute("data-value");
}

/** The agents offered, read from the open list. */
export async function agentNames(page: Page): Promise<string[]> {
  const field = agentField(page);
  await field.click();
  const list = page.getByRole("listbox", { name: "Agents" });
  await list.waitFor();
  const names = await list.locator(".agent-name").allTextContents();
  await field.press("Escape");
  await list.waitFor({ state: "hidden" });
  return names;
}

/** Chooses the agent `name` by typing it and clicking its option. */
export async function chooseAgent(page: Page, name: string): Promise<void> {
  const field = agentField(page);
  await field.click();
  await field.fill(name);
  const list = page.getByRole("listbox", { name: "Agents" });
  await list.getByRole("option").filter({
    has: page.locator(".agent-name", { hasText: new RegExp(`^${name}$`) }),
  }).click();
  await list.waitFor({ state: "hidden" });
}
