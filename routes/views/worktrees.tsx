/**
 * The worktree views: the bar on a session page in a worktree (which worktree and branch, `Merge`
 * and `Delete worktree`, or a note that it is gone), the project page's `Worktrees` section, and
 * the confirmations of Merge (the files and lines coming in) and Delete (what would be lost).
 * Server-rendered forms, so they work without JavaScript and pass the edge's checks.
 */

import { basename } from "node:path";
import type { SessionSummary } from "../../lib/common/discovery_types.ts";
import { plural } from "../../lib/client/ui/format.ts";
import { pageHref } from "../../lib/client/live/page_server.ts";
import type { MergePreview } from "../../lib/server/worktrees/merge.ts";
import type { SessionPlace } from "../../lib/server/worktrees/session_worktree.ts";
import type { WorktreeState } from "../../lib/server/worktrees/state.ts";

/** The address of a worktree action for a session. */
export function worktreeActionHref(action: "merge" | "delete", sessionId: string): string {
  return `/worktree/${action}?session=${encodeURIComponent(sessionId)}`;
}

/** A session page's worktree bar; nothing for a session in the project's own checkout. */
export function WorktreeBar(
  { place, branch, sessionId, projectHref, merged, applyOnly }: {
    place: SessionPlace;
    branch?: string;
    sessionId: string;
    projectHref?: string;
    /** The branch a merge just went into (after `Merge`). */
    merged?: string;
    /** Merge applies the changes uncommitted (another machine's worktree). */
    applyOnly?: boolean;
  },
) {
  if (place.kind === "checkout") return null;
  if (place.kind === "deleted") {
    return (
      <section class="worktree-bar gone" aria-label="Worktree">
        <p>
          This session worked in the worktree <strong>{basename(place.directory)}</strong>
          , which has been deleted. Its history stays readable here; its files and branch are gone.
        </p>
      </section>
    );
  }
  if (!place.present) {
    return (
      <section class="worktree-bar gone" aria-label="Worktree">
        <p>
          The folder of this session's worktree <strong>{basename(place.directory)}</strong>{" "}
          is missing (deleted outside Palot).{" "}
          {projectHref && <a href={`${projectHref}#worktrees`}>Forget it on the project page</a>}
        </p>
      </section>
    );
  }
  return (
    <section class="worktree-bar" aria-label="Worktree">
      <p>
        Worktree <strong>{basename(place.directory)}</strong> · branch{" "}
        <code class="worktree-branch">{branch}</code>
      </p>
      <span class="worktree-actions">
        <a class="button" href={pageHref(worktreeActionHref("merge", sessionId))}>Merge</a>
        <a class="button danger" href={pageHref(worktreeActionHref("delete", sessionId))}>
          Delete worktree
        </a>
      </span>
      {merged && (
        <p class="worktree-merged" role="status">
          {applyOnly
            ? `Applied ${branch}'s changes to ${merged}, uncommitted: review and commit them in the project's checkout.`
            : `Merged ${branch} into ${merged}.`}
        </p>
      )}
    </section>
  );
}

/**
 * One worktree of a project, with what it holds and its sessions. Of another machine's worktree
 * Palot knows only what its OpenCode server lists (its folder and sessions), not git's counts.
 */
export interface WorktreeRow {
  state:
    & Omit<WorktreeState, "changedFiles" | "ahead" | "behind">
    & Partial<Pick<WorktreeState, "changedFiles" | "ahead" | "behind">>;
  sessions: SessionSummary[];
  working: boolean;
}

/**
 * The project page's `Worktrees` section; nothing when the project has none. A missing folder has
 * `Forget` when there is a `forgetAction`.
 */
export function WorktreesSection(
  { rows, forgetAction, problem }: {
    rows: WorktreeRow[];
    forgetAction?: string;
    problem?: string;
  },
) {
  if (rows.length === 0 && !problem) return null;
  return (
    <section class="worktrees" id="worktrees" aria-labelledby="worktrees-title">
      <h2 id="worktrees-title">Worktrees</h2>
      {problem && <p class="field-error" role="alert">{problem}</p>}
      <ul class="worktree-list">
        {rows.map(({ state, sessions, working }) => (
          <li key={state.directory} class="worktree-row">
            <div class="worktree-row-head">
              <strong class="worktree-branch">
                {state.branch ?? `opencode/${basename(state.directory)}`}
              </strong>
              {!state.present && <span class="badge waiting">missing</span>}
              {working && <span class="badge busy">working</span>}
            </div>
            {state.present
              ? state.changedFiles !== undefined && (
                <p class="muted worktree-facts">
                  {state.changedFiles > 0
                    ? `${plural(state.changedFiles, "file")} with uncommitted changes`
                    : "no uncommitted changes"}
                  {state.ahead !== undefined && state.behind !== undefined && (
                    <>
                      {" · "}
                      {plural(state.ahead, "commit")} ahead, {state.behind} behind{" "}
                      {state.base ?? "the project's branch"}
                    </>
                  )}
                  {state.problem && ` · ${state.problem}`}
                </p>
              )
              : forgetAction && (
                <form method="post" action={forgetAction} class="worktree-forget">
                  <p class="muted">
                    Its folder {state.directory} was deleted outside Palot.
                  </p>
                  <input type="hidden" name="directory" value={state.directory} />
                  <button
                    type="submit"
                    class="button"
                    aria-label={`Forget ${basename(state.directory)}`}
                  >
                    Forget
                  </button>
                </form>
              )}
            {sessions.length > 0 && (
              <ul class="worktree-sessions" aria-label="Its sessions">
                {sessions.map((session) => (
                  <li key={session.id}>
                    <a href={pageHref(`/session/${encodeURIComponent(session.id)}`)}>
                      {session.title || "Untitled session"}
                    </a>
                  </li>
                ))}
              </ul>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}

/** The Merge confirmation: what comes in, or why it cannot. */
export function MergeConfirmation(
  { preview, title, action, back, error }: {
    preview: MergePreview;
    title: string;
    action: string;
    back: string;
    error?: string;
  },
) {
  const additions = preview.files.reduce((sum, file) => sum + (file.additions ?? 0), 0);
  const deletions = preview.files.reduce((sum, file) => sum + (file.deletions ?? 0), 0);
  const refusal = error ?? preview.refusal;
  return (
    <section class="worktree-confirm" aria-labelledby="merge-title">
      <h1 id="merge-title">
        Merge {preview.branch ?? "the worktree"} into {preview.base ?? "the project"}
      </h1>
      {preview.applyOnly && (
        <p>
          The changes are applied to the project's checkout by its OpenCode server and left
          uncommitted there, to review and commit (Palot runs no git on another machine). The
          worktree and its branch stay as they are.
        </p>
      )}
      {preview.uncommitted > 0 && (
        <p>
          {plural(preview.uncommitted, "uncommitted file")}{" "}
          in the worktree will be committed first, as “{title}”.
        </p>
      )}
      {preview.files.length > 0
        ? (
          <>
            <p>
              {plural(preview.files.length, "file")} will change:{" "}
              <span class="additions">+{additions}</span>{" "}
              <span class="deletions">−{deletions}</span>
            </p>
            <ul class="merge-files" aria-label="Files coming in">
              {preview.files.map((file) => (
                <li key={file.path}>
                  <code>{file.path}</code>{" "}
                  {file.additions === undefined ? <span class="muted">binary</span> : (
                    <>
                      <span class="additions">+{file.additions}</span>{" "}
                      <span class="deletions">−{file.deletions}</span>
                    </>
                  )}
                </li>
              ))}
            </ul>
          </>
        )
        : !refusal && <p>Nothing new to bring in: the branch is already merged.</p>}
      {refusal && <p class="field-error" role="alert">{refusal}</p>}
      <form method="post" action={action} class="confirm-actions">
        {!refusal && <button type="submit" class="button primary">Merge</button>}
        <a class="button" href={back}>{refusal ? "Back to the session" : "Cancel"}</a>
      </form>
    </section>
  );
}

/** The Delete worktree confirmation: what would be lost with it. */
export function DeleteConfirmation(
  { state, action, back, error }: {
    /** `unmergedFiles`: another machine's files that differ from its project's default branch. */
    state: WorktreeState & { unmergedFiles?: number };
    action: string;
    back: string;
    error?: string;
  },
) {
  const branch = state.branch ?? `opencode/${basename(state.directory)}`;
  const unmerged = state.unmergedFiles ?? 0;
  const losing = state.changedFiles > 0 || state.ahead > 0 || unmerged > 0;
  return (
    <section class="worktree-confirm" aria-labelledby="delete-title">
      <h1 id="delete-title">Delete worktree {basename(state.directory)}</h1>
      <p>
        Its folder <code>{state.directory}</code> and its branch <code>{branch}</code>{" "}
        will be removed. The session's history stays readable.
      </p>
      {losing
        ? (
          <div class="worktree-warning" role="alert">
            <p>Work that is not in the project yet will be lost:</p>
            <ul>
              {state.changedFiles > 0 && (
                <li>{plural(state.changedFiles, "file")} with uncommitted changes</li>
              )}
              {state.ahead > 0 && (
                <li>
                  {plural(state.ahead, "commit")} not merged into{" "}
                  {state.base ?? "the project's branch"}
                </li>
              )}
              {unmerged > 0 && (
                <li>
                  {plural(unmerged, "file")} that differ from {state.base ?? "the project's branch"}
                </li>
              )}
            </ul>
            <p>Merge first to keep it.</p>
          </div>
        )
        : <p>Everything in it is already in the project: nothing will be lost.</p>}
      {state.problem && <p class="field-error" role="alert">{state.problem}</p>}
      {error && <p class="field-error" role="alert">{error}</p>}
      <form method="post" action={action} class="confirm-actions">
        <button type="submit" class="button danger">Delete worktree</button>
        <a class="button" href={back}>Cancel</a>
      </form>
    </section>
  );
}
