/**
 * The part of OpenCode's HTTP API that Palot's proxy passes on: what Palot's pages use, and what
 * the next features (terminal, files, worktrees) need. An allow-list: a path OpenCode adds is not
 * reachable through Palot until it is listed here, and OpenCode's administrative endpoints
 * (`/global/upgrade`, `/global/dispose`, `/tui/*`, `/experimental/console`…), its web UI and its
 * raw file routes (`/api/fs/read/*`, which answer files as they are) never are.
 *
 * Paths are Hono route patterns (`:id` for one segment), matched after `/api/opencode`.
 */

/** Methods and the paths each may reach. */
export const PROXIED_API: Readonly<Record<string, readonly string[]>> = {
  GET: [
    "/agent",
    "/command",
    "/config",
    "/config/providers",
    "/provider",
    "/provider/auth",
    "/path",
    "/vcs",
    "/vcs/status",
    "/vcs/diff",
    "/file",
    "/file/content",
    "/file/status",
    "/find",
    "/find/file",
    "/find/symbol",
    "/project",
    "/project/current",
    "/session",
    "/session/status",
    "/session/:id",
    "/session/:id/message",
    "/session/:id/message/:message",
    "/session/:id/todo",
    "/session/:id/children",
    "/session/:id/diff",
    "/permission",
    "/question",
    "/lsp",
    "/formatter",
    "/mcp",
    "/skill",
    "/pty",
    "/pty/:id",
    // The terminal's WebSocket (an upgrade: the edge requires Palot's own Origin).
    "/pty/:id/connect",
    "/experimental/worktree",
    // OpenCode's own event stream (read-only; Palot's pages use /api/events).
    "/global/event",
    "/global/health",
  ],
  POST: [
    "/session",
    "/session/:id/prompt_async",
    "/session/:id/message",
    "/session/:id/command",
    "/session/:id/shell",
    "/session/:id/abort",
    "/session/:id/revert",
    "/session/:id/unrevert",
    "/session/:id/fork",
    "/session/:id/summarize",
    "/session/:id/init",
    "/session/:id/permissions/:permission",
    "/permission/:id/reply",
    "/question/:id/reply",
    "/question/:id/reject",
    "/pty",
    "/instance/dispose",
    "/experimental/worktree",
    "/experimental/worktree/reset",
  ],
  PATCH: ["/session/:id"],
  PUT: ["/pty/:id"],
  DELETE: ["/session/:id", "/pty/:id", "/experimental/worktree"],
};

/**
 * Request bodies larger than this are refused (413) before they are read: a message with a few
 * attachments at their limit (10 MB each, base64 in a data URL), and a margin.
 */
export const MESSAGE_BODY_LIMIT = 48 * 1024 * 1024;

/** The paths whose bodies carry a message (and its attachments). */
export const MESSAGE_PATHS: readonly string[] = [
  "/session/:id/prompt_async",
  "/session/:id/message",
  "/session/:id/command",
];

/** Request bodies of every other proxied write: a title, a reply, a terminal's size. */
export const SMALL_BODY_LIMIT = 1024 * 1024;
