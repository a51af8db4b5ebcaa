import assert from "node:assert/strict";
import type { DiscoveryStore, Project, SessionSummary } from "../discovery_types.ts";
import { paletteItems, TITLE_MATCHES } from "./items.ts";

const project = (name: string) => ({ id: `p-${name}`, name, worktree: `/w/${name}` }) as Project;
const session = (title: string) =>
  ({ id: `s-${title}`, title, projectID: "p-alpha", directory: "/w/alpha" }) as SessionSummary;
/** A discovery store with just what the palette reads. */
const discovery = {
  listProjects: () => [project("alpha"), project("gamma-cli")],
  recentSessions: () => [session("Gamma client retries"), session("Theme colours")],
} as unknown as DiscoveryStore;
const labels = (query: string) => paletteItems(discovery, query).map((item) => item.label);

Deno.test("palette: the best match first, then Search messages, a project winning a tie", () => {
  assert.equal(labels("gamma-cli")[0], "gamma-cli");
  assert.equal(labels("gamma-cli")[1], "Search messages for “gamma-cli”");
  assert.equal(labels("toggle theme")[0], "Toggle theme");
  assert.equal(labels("zzzz")[0], "Search messages for “zzzz”", "nothing else matches");
  assert.deepEqual(labels(""), [
    "Gamma client retries",
    "Theme colours",
    "alpha",
    "gamma-cli",
    "New session in alpha",
    "New session in gamma-cli",
    "Open folder",
    "Toggle theme",
  ]);
});

Deno.test("palette: a session outside the recent ones is found by the words of its title", () => {
  const asked: [string, number][] = [];
  const old = session("Migrate the billing cron");
  const items = paletteItems(discovery, "billing cron", (text, limit) => {
    asked.push([text, limit]);
    return [old];
  });
  assert.equal(items[0].label, "Migrate the billing cron");
  assert.deepEqual(asked, [["billing cron", TITLE_MATCHES]], "asked once, for a bounded answer");
  assert.ok(items.length <= 5 + 8 + 5, "a bounded list");
  paletteItems(discovery, "", () => {
    throw new Error("no title query without a text");
  });
});
