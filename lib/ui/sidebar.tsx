/**
 * The sidebar on every page: all projects (newest activity first) and, inside the current project,
 * its latest root sessions. Plain links, so it works without JavaScript and in new tabs.
 */

import type { Project, SessionSummary } from "../discovery/types.ts";

export interface SidebarProps {
  projects: Project[];
  currentProjectId?: string;
  /** The current project's latest root sessions. */
  sessions?: SessionSummary[];
  currentSessionId?: string;
  /** Session ids that are working now (from the live status index). */
  busy?: ReadonlySet<string>;
}

export function Sidebar(props: SidebarProps) {
  const { projects, currentProjectId, sessions, currentSessionId, busy } = props;
  return (
    <nav aria-label="Projects" class="project-nav">
      <h2 class="nav-heading">Projects</h2>
      {projects.length === 0 && <p class="muted">No projects yet</p>}
      <ul>
        {projects.map((project) => {
          const current = project.id === currentProjectId;
          return (
            <li key={project.id} class={current ? "current" : undefined}>
              <a
                href={`/project/${encodeURIComponent(project.id)}`}
                aria-current={current && !currentSessionId ? "page" : undefined}
                title={project.worktree}
              >
                {project.name}
              </a>
              {current && sessions && (
                <ul class="session-nav" aria-label={`Sessions of ${project.name}`}>
                  {sessions.map((session) => (
                    <li key={session.id}>
                      <a
                        href={`/session/${encodeURIComponent(session.id)}`}
                        aria-current={session.id === currentSessionId ? "page" : undefined}
                      >
                        {session.title || "Untitled session"}
                      </a>
                      {busy?.has(session.id) && <span class="badge busy">busy</span>}
                    </li>
                  ))}
                </ul>
              )}
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
