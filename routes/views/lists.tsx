/**
 * The rows of Palot's lists, with what helps choosing one: a project card (name, folder, live
 * status of its sessions, session count, last activity) and a session row (title, live status,
 * changed files with added and removed lines, sub-agents, cost, last change). Server-rendered.
 */

import type { Project, SessionSummary } from "../../lib/common/discovery_types.ts";
import type { ActivityItem, SidebarSession } from "../../islands/mod.ts";
import { formatCost, plural } from "../../lib/client/ui/format.ts";
import {
  bot,
  clock,
  coins,
  fileDiff,
  folder,
  Icon,
  IconSprite,
  messageSquare,
  plus,
  SpriteIcon,
} from "../../lib/client/ui/icons.tsx";
import { StatusBadge } from "../../lib/client/ui/status_badge.tsx";
import { ProjectBadges } from "../../lib/client/ui/project_badges.tsx";
import { activityRows, projectActivity } from "../../lib/common/activity.ts";
import { Time } from "../../lib/client/ui/time.tsx";

/** The icons of every {@linkcode ProjectCard}: render once in a page that shows cards. */
export function ProjectCardIcons() {
  return <IconSprite icons={{ folder, messageSquare, clock }} />;
}

/**
 * A project's card; its icons come from {@linkcode ProjectCardIcons}, once in the page. `href` is
 * its page (another machine's project has one naming that machine).
 */
export function ProjectCard(
  { project, activity, href = `/project/${encodeURIComponent(project.id)}`, server }: {
    project: Project;
    activity: ActivityItem[];
    href?: string;
    /** The machine it is on (Palot's id for it); none for this machine. */
    server?: string;
  },
) {
  const folders = [project.worktree, ...project.sandboxes ?? []];
  const badges = projectActivity(folders, activityRows(activity), server);
  return (
    <div class="project-card" role="listitem">
      <span class="project-card-head">
        <SpriteIcon name="folder" class="project-icon" />
        <a class="project-name" href={href}>
          {project.name}
        </a>
        <span
          class="project-badges"
          data-project-badges={JSON.stringify(folders)}
          data-project-server={server}
        >
          <ProjectBadges {...badges} />
        </span>
      </span>
      <span class="project-path">{project.worktree}</span>
      <span class="project-meta">
        <span class="meta-item">
          <SpriteIcon name="messageSquare" />
          {plural(project.sessionCount, "session")}
        </span>
        <span class="meta-item">
          <SpriteIcon name="clock" />
          <span>
            last activity <Time at={project.lastActivity} />
          </span>
        </span>
      </span>
    </div>
  );
}

/** Changed files and lines: "3 files +12 −4", or nothing when the session changed none. */
export function SessionChanges({ session }: { session: SessionSummary }) {
  if (session.files === 0 && session.additions === 0 && session.deletions === 0) return null;
  return (
    <span class="meta-item session-changes">
      <Icon svg={fileDiff} />
      {plural(session.files, "file")}
      <span class="additions" aria-label={`${session.additions} lines added`}>
        +{session.additions}
      </span>
      <span class="deletions" aria-label={`${session.deletions} lines removed`}>
        −{session.deletions}
      </span>
    </span>
  );
}

export function SessionRow(
  { session, live, href = `/session/${encodeURIComponent(session.id)}` }: {
    session: SessionSummary;
    live: SidebarSession;
    /** Its page (another machine's session has one naming that machine). */
    href?: string;
  },
) {
  const cost = formatCost(session.cost);
  return (
    <li class="session-row">
      <span class="session-row-head">
        <a class="session-title" href={href}>
          {session.title || "Untitled session"}
        </a>
        {(live.status !== "idle" || live.waiting > 0) && (
          <StatusBadge status={live.status} waiting={live.waiting} />
        )}
        {session.archived && <span class="badge">archived</span>}
        <span class="badge unread" data-unread-for={session.id} hidden>unread</span>
      </span>
      <span class="session-meta">
        <span class="meta-item">
          <Icon svg={clock} />
          <Time at={session.updated} />
        </span>
        <SessionChanges session={session} />
        {session.childCount > 0 && (
          <span class="meta-item">
            <Icon svg={bot} />
            {plural(session.childCount, "sub-agent")}
          </span>
        )}
        {cost && (
          <span class="meta-item">
            <Icon svg={coins} />
            {cost}
          </span>
        )}
      </span>
    </li>
  );
}

/** A project page's heading: its name and folder, and `New session` (at `newHref`). */
export function ProjectHead({ project, newHref }: { project: Project; newHref: string }) {
  return (
    <div class="page-head">
      <div>
        <h1>{project.name}</h1>
        <p class="project-path">{project.worktree}</p>
      </div>
      <a class="button primary" href={newHref}>
        <Icon svg={plus} />
        New session
      </a>
    </div>
  );
}
