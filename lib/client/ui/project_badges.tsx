/**
 * A project card's badges (`2 need you`, `1 working`): rendered by the server into each card's
 * `[data-project-badges]` (which lists the project's folders: its checkout and worktrees) and kept
 * live by `Active now`'s island ({@linkcode liveProjectBadges}),
 * from the same rule ({@linkcode projectActivity}).
 */

import { render } from "preact";
import { type ActivityRow, projectActivity } from "../../common/activity.ts";

export function ProjectBadges({ working, waiting }: { working: number; waiting: number }) {
  return (
    <>
      {waiting > 0 && <span class="badge waiting">{waiting} need you</span>}
      {working > 0 && <span class="badge busy">{working} working</span>}
    </>
  );
}

/** Redraws every project card's badges in the page from `rows`. */
export function liveProjectBadges(rows: ActivityRow[]): void {
  for (const element of document.querySelectorAll<HTMLElement>("[data-project-badges]")) {
    const folders = JSON.parse(element.dataset.projectBadges!) as string[];
    const server = element.dataset.projectServer || undefined;
    render(<ProjectBadges {...projectActivity(folders, rows, server)} />, element);
  }
}
