import assert from "node:assert/strict";
import { SIDEBAR_PROJECTS, sidebarProjects } from "./sidebar.tsx";
import type { Project } from "../../lib/common/discovery_types.ts";

const project = (i: number): Project => ({
  id: `p${i}`,
  name: `p${i}`,
  worktree: `/p${i}`,
  vcs: "git",
  sessionCount: 1,
  lastActivity: 1_000 - i,
});

Deno.test("the sidebar lists a bounded number of projects, the current one always among them", () => {
  const projects = Array.from({ length: 1_000 }, (_, i) => project(i));
  assert.equal(sidebarProjects(projects).length, SIDEBAR_PROJECTS);
  assert.deepEqual(
    sidebarProjects(projects).map((p) => p.id),
    projects.slice(0, 30).map((p) => p.id),
  );
  const current = projects[700];
  const shown = sidebarProjects(projects, current);
  assert.equal(shown.length, SIDEBAR_PROJECTS + 1);
  assert.equal(shown.at(-1), current);
  assert.equal(sidebarProjects(projects, projects[3]).length, SIDEBAR_PROJECTS);
  assert.equal(sidebarProjects(projects.slice(0, 4)).length, 4);
});
