/**
 * The toolbar's `Model` picker as tests use it (a combobox whose listbox shows when open): the
 * chosen model, the models offered by provider, and choosing one by typing part of its name.
 */

import type { Page } from "playwright-core";

/** The `Model` field. */
export const modelField = (page: Page) => page.getByRole("combobox", { name: "Model" });

/** The chosen model, `providerID/modelID`. */
export function modelValue(page: Page): Promise<string | null> {
  return modelField(page).getAttribute("data-value");
}

/** The models offered, by provider (the `Recent` group left out), read from the open list. */
export async function modelGroups(page: Page): Promise<Record<string, string[]>> {
  const field = modelField(page);
  await field.click();
  const list = page.getByRole("listbox", { name: "Models" });
  await list.waitFor();
  const groups = await list.evaluate((element) =>
    Object.fromEntries(
      [...element.querySelectorAll<HTMLElement>("[role=group]")]
        .filter((group) => group.getAttribute("aria-label") !== "Recent")
        .map((group) => [
          group.getAttribute("aria-label") ?? "",
          [...group.querySelectorAll(".model-name")].map((name) => name.textContent ?? ""),
        ]),
    )
  );
  await field.press("Escape");
  await list.waitFor({ state: "hidden" });
  return groups;
}

/** Every model name offered. */
export async function modelNames(page: Page): Promise<string[]> {
  return Object.values(await modelGroups(page)).flat();
}

/** Chooses the model named `name` (of `provider`, when given) by typing it. */
export async function chooseModel(page: Page, name: string, provider?: string): Promise<void> {
  const field = modelField(page);
  await field.click();
  await field.fill(name);
  const list = page.getByRole("listbox", { name: "Models" });
  const group = provider ? list.getByRole("group", { name: provider, exact: true }) : list;
  await group.getByRole("option").filter({
    has: page.locator(".model-name", { hasText: name }),
  }).first().click();
  await list.waitFor({ state: "hidden" });
}
