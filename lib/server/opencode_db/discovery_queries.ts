/**
 * What the discovery store asks `opencode.db` and how its rows become Palot's types: the SQL
 * statements of {@linkcode SqliteStore} (ids always bound as parameters), and the mapping of a
 * project or session row, coercing what SQLite hands back.
 */

import {
  baseName,
  GLOBAL_PROJECT,
  globalProjectId,
  type Project,
  PROMPT_SESSIONS,
  sandboxList,
  type SessionSummary,
} from "../../common/discovery_types.ts";
import { num, type Row, str } from "./database.ts";

const SESSION_COLUMNS = `s.id, s.project_id, s.directory, s.title, s.parent_id, s.time_created,
  s.time_updated, s.time_archived, s.cost, s.summary_additions, s.summary_deletions,
  s.summary_files, json_extract(s.revert, '$.messageID') AS revert_message_id,
  (SELECT COUNT(*) FROM session c WHERE c.parent_id = s.id) AS child_count`;

/** Every statement the store runs, prepared once each. */
export const SQL = {
  projects:
    `SELECT id, worktree, vcs, name, time_updated, sandboxes FROM project WHERE id != '${GLOBAL_PROJECT}'`,
  project:
    `SELECT id, worktree, vcs, name, time_updated, sandboxes FROM project WHERE id = ? AND id != '${GLOBAL_PROJECT}'`,
  projectTotals: `SELECT project_id AS key,
      SUM(parent_id IS NULL AND time_archived IS NULL) AS sessions, MAX(time_updated) AS last
    FROM session WHERE project_id != '${GLOBAL_PROJECT}' GROUP BY project_id`,
  projectTotal: `SELECT SUM(parent_id IS NULL AND time_archived IS NULL) AS sessions,
      MAX(time_updated) AS last FROM session WHERE project_id = ?`,
  globalTotals: `SELECT directory AS key,
      SUM(parent_id IS NULL AND time_archived IS NULL) AS sessions, MAX(time_updated) AS last
    FROM session WHERE project_id = '${GLOBAL_PROJECT}' GROUP BY directory`,
  globalTotal:
    `SELECT COUNT(*) AS count, SUM(parent_id IS NULL AND time_archived IS NULL) AS sessions,
      MAX(time_updated) AS last FROM session WHERE project_id = '${GLOBAL_PROJECT}' AND directory = ?`,
  // A project's root sessions in list order, as rowids only (kept while the database is
  // unchanged, so paging a project of 20,000 sessions sorts them once); a page's rows then get
  // their columns (the sub-agent count is a query per row) by rowid.
  sessionKeys: `SELECT rowid FROM session
    WHERE project_id = ? AND project_id != '${GLOBAL_PROJECT}' AND parent_id IS NULL
      AND (? OR time_archived IS NULL)
    ORDER BY time_updated DESC, id DESC`,
  globalSessionKeys: `SELECT rowid FROM session
    WHERE project_id = '${GLOBAL_PROJECT}' AND directory = ? AND parent_id IS NULL
      AND (? OR time_archived IS NULL)
    ORDER BY time_updated DESC, id DESC`,
  sessionsByRowid: `SELECT s.rowid AS rowid, ${SESSION_COLUMNS} FROM session s
    WHERE s.rowid IN (SELECT value FROM json_each(?))`,
  session: `SELECT ${SESSION_COLUMNS} FROM session s WHERE s.id = ?`,
  children: `SELECT ${SESSION_COLUMNS} FROM session s WHERE s.parent_id = ?
    ORDER BY s.time_created, s.id`,
  messages: `SELECT id, session_id, data FROM message WHERE session_id = ?
    ORDER BY time_created, id`,
  parts:
    `SELECT id, message_id, session_id, data FROM part WHERE session_id = ? ORDER BY message_id, id`,
  latestMessages: `SELECT id, session_id, data FROM (
      SELECT id, session_id, data, time_created FROM message WHERE session_id = ?
      ORDER BY time_created DESC, id DESC LIMIT ?
    ) ORDER BY time_created, id`,
  countMessagesFrom: `SELECT COUNT(*) AS count FROM message m, message target
    WHERE target.id = ? AND target.session_id = ? AND m.session_id = target.session_id
      AND (m.time_created, m.id) >= (target.time_created, target.id)`,
  // Bounded: the newest of the last `?` rows written (rowid order is OpenCode's insert order),
  // not a sort of every session (half a million of them take a second).
  recentSessions: `SELECT ${SESSION_COLUMNS} FROM session s WHERE s.rowid IN (
      SELECT rowid FROM session WHERE rowid > (SELECT MAX(rowid) FROM session) - ?
      ORDER BY time_updated DESC, id DESC LIMIT ?)
    ORDER BY s.time_updated DESC, s.id DESC`,
  // OpenCode 1.18 records changed files per user message (`summary.diffs`), not on the session
  // row: the totals of the sessions on a page, leaving out messages an Undo hides.
  changeTotals: `SELECT m.session_id AS id,
      COUNT(DISTINCT json_extract(d.value, '$.file')) AS files,
      SUM(json_extract(d.value, '$.additions')) AS additions,
      SUM(json_extract(d.value, '$.deletions')) AS deletions
    FROM session s JOIN message m ON m.session_id = s.id,
      json_each(m.data, '$.summary.diffs') d
    WHERE s.id IN (SELECT value FROM json_each(?))
      AND (s.revert IS NULL OR m.id < json_extract(s.revert, '$.messageID'))
    GROUP BY m.session_id`,
  prompts: `SELECT m.id AS message_id, json_extract(p.data, '$.text') AS text
    FROM message m JOIN part p ON p.message_id = m.id
    WHERE m.session_id IN (SELECT id FROM session WHERE project_id = ? AND (? IS NULL OR directory = ?)
        AND parent_id IS NULL ORDER BY time_updated DESC LIMIT ${PROMPT_SESSIONS})
      AND json_extract(m.data, '$.role') = 'user' AND json_extract(p.data, '$.type') = 'text'
      AND json_extract(p.data, '$.synthetic') IS NOT 1
    ORDER BY m.time_created DESC, m.id DESC, p.id LIMIT ?`,
  /** Parts of exactly the messages read (a JSON array of their ids), not a second "latest N". */
  partsOf: `SELECT id, message_id, session_id, data FROM part
    WHERE message_id IN (SELECT value FROM json_each(?)) ORDER BY message_id, id`,
  recentDirectories: `SELECT directory, MAX(time_updated) AS last FROM session
    WHERE time_updated >= ? GROUP BY directory ORDER BY last DESC LIMIT 200`,
};

/** A project row and its session totals as a {@linkcode Project}. */
export function toProject(row: Row, totals: Row | undefined): Project {
  const worktree = str(row.worktree);
  return {
    id: str(row.id),
    name: str(row.name) || baseName(worktree),
    worktree,
    vcs: row.vcs === null ? null : str(row.vcs),
    sessionCount: num(totals?.sessions ?? 0),
    lastActivity: Math.max(num(row.time_updated), num(totals?.last ?? 0)),
    sandboxes: sandboxList(row.sandboxes),
  };
}

/** A session row (`SESSION_COLUMNS`) as a {@linkcode SessionSummary}. */
export function toSession(row: Row): SessionSummary {
  const projectId = str(row.project_id);
  const directory = str(row.directory);
  return {
    id: str(row.id),
    projectID: projectId === GLOBAL_PROJECT ? globalProjectId(directory) : projectId,
    directory,
    title: str(row.title),
    parentID: row.parent_id === null ? null : str(row.parent_id),
    created: num(row.time_created),
    updated: num(row.time_updated),
    archived: row.time_archived !== null && row.time_archived !== undefined,
    childCount: num(row.child_count),
    cost: num(row.cost),
    additions: num(row.summary_additions),
    deletions: num(row.summary_deletions),
    files: num(row.summary_files),
    ...(row.revert_message_id ? { revertMessageID: str(row.revert_message_id) } : {}),
  };
}
