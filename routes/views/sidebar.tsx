/**
 * The sidebar on every page: what is active now across all projects (live), the projects with
 * the newest activity ({@linkcode SIDEBAR_PROJECTS} of them, the current one always among them,
 * and `All projects` linking to the home page's full list) and, inside the current project, its
 * latest root sessions (live). Bounded however many projects there are. Plain links, so it works
 * without JavaScript and in new tabs.
 */

import type { DiscoveryStore, Project, SessionSummary } from "../../lib/common/discovery_types.ts";
import { LiveActivity, SidebarSessions } from "../../islands/mod.ts";
import type { LiveContext } from "./live_context.ts";

/** Projects the sidebar lists at most (besides the current one). */
export const SIDEBAR_PROJECTS = 30;

/** The first {@linkcode SIDEBAR_PROJECTS} of `projects`, and `current` when it is not among them. */
export function sidebarProjects(projects: Project[], current?: Project): Project[] {
  const shown = projects.slice(0, SIDEBAR_PROJECTS);
  if (current && !shown.some((project) => project.id === current.id)) shown.push(current);
  return shown;
}

export interface SidebarProps {
  live: LiveContext;
  projects: Project[];
  currentProject?: Project;
  /** The current project's latest root sessions. */
  sessions?: SessionSummary[];
  currentSessionId?: string;
  /** A project's page (another machine's names that machine); this machine's by default. */
  projectHref?: (project: Project) => string;
}

export function Sidebar(
  {
    live,
    projects,
    currentProject,
    sessions,
    currentSessionId,
    projectHref = (project) => `/project/${encodeURIComponent(project.id)}`,
  }: SidebarProps,
) {
  const shown = sidebarProjects(projects, currentProject);
  return (
    <>
      <LiveActivity initial={live.activity} worktrees={live.worktrees} />
      <nav aria-label="Projects" class="project-nav">
        <h2 class="nav-heading">Projects</h2>
        {projects.length === 0 && <p class="muted">No projects yet</p>}
        <ul>
          {shown.map((project) => {
            const current = project.id === currentProject?.id;
            return (
              <li key={project.id} class={current ? "current" : undefined}>
                <a
                  href={projectHref(project)}
                  aria-current={current && !currentSessionId ? "page" : undefined}
                  title={project.worktree}
                >
                  {project.name}
                </a>
                {current && sessions && (
                  <SidebarSessions
                    projectName={project.name}
                    opencodeProjectId={project.vcs === null && project.id.startsWith("global:")
                      ? undefined
                      : project.id}
                    directory={project.worktree}
                    initial={sessions.map(live.sidebarRow)}
                    worktrees={live.worktrees}
                    currentSessionId={currentSessionId}
                  />
                )}
              </li>
            );
          })}
        </ul>
        {projects.length > shown.length && (
          <a class="nav-all" href="/">All projects ({projects.length.toLocaleString("en")})</a>
        )}
      </nav>
    </>
  );
}

/**
 * The sidebar of a page inside `project` (or of no project): every project, and the project's
 * latest root sessions unless `sessions` gives them.
 *
 * @example
 * ```tsx
 * <Shell live={live} sidebar={projectSidebar(discovery, live, project)}>…</Shell>
 * ```
 */
export function projectSidebar(
  discovery: DiscoveryStore,
  live: LiveContext,
  project?: Project,
  options: { sessions?: SessionSummary[]; currentSessionId?: string } = {},
) {
  return (
    <Sidebar
      live={live}
      projects={discovery.listProjects()}
      currentProject={project}
      sessions={options.sessions ??
        (project ? discovery.listSessions(project.id, { limit: 50 }).sessions : [])}
      currentSessionId={options.currentSessionId}
    />
  );
}
