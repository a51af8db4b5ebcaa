/**
 * A project's New session page body, the same for this machine's projects and another's: the
 * Terminal region docked at the bottom (the project's terminals, through the page's machine), the
 * breadcrumbs `crumbs`, and an empty chat whose first Send creates the session.
 */

import type { ComponentChildren } from "preact";
import { Chat, Terminal } from "../../islands/mod.ts";
import type { Project } from "../../lib/common/discovery_types.ts";
import type { ToolbarSnapshot } from "../../lib/common/toolbar_data.ts";

export function NewSession(
  { project, toolbar, crumbs }: {
    project: Project;
    /** The project's toolbar options as cached now (the page's visit starts loading them). */
    toolbar?: ToolbarSnapshot;
    crumbs: ComponentChildren;
  },
) {
  return (
    <>
      <Terminal directory={project.worktree} />
      {crumbs}
      <Chat
        directory={project.worktree}
        projectId={project.id}
        projectName={project.name}
        messages={[]}
        status="idle"
        permissions={[]}
        questions={[]}
        git={project.vcs === "git"}
        toolbar={toolbar}
      />
    </>
  );
}
