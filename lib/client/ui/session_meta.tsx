/**
 * A session's facts in one short line, for the project page and the sidebar: the files it changed
 * with added and removed lines, what it cost, and when it was last updated.
 */

import { formatCost, plural } from "./format.ts";
import { Time } from "./time.tsx";

export interface SessionMetaFacts {
  files: number;
  additions: number;
  deletions: number;
  cost: number;
  updated: number;
}

/** "2 files +4 −1 · $0.01 · 3 minutes ago", leaving out what is zero. */
export function SessionMeta({ facts }: { facts: SessionMetaFacts }) {
  const cost = formatCost(facts.cost);
  return (
    <span class="session-facts-line">
      {facts.files > 0 && (
        <span class="session-changes">
          {plural(facts.files, "file")} <span class="change-add">+{facts.additions}</span>{" "}
          <span class="change-del">−{facts.deletions}</span>
          {" · "}
        </span>
      )}
      {cost && `${cost} · `}
      <Time at={facts.updated} />
    </span>
  );
}
