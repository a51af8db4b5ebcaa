/**
 * The MCP servers of one project folder, through OpenCode's own endpoints: their status
 * (`GET /mcp`) and connecting or disconnecting one (`POST /mcp/{name}/connect|disconnect`).
 */

import { opencodeApi } from "../opencode/opencode_api.ts";
import type { EndpointSource } from "../opencode/endpoint.ts";

export interface McpServerRow {
  name: string;
  /** `connected`, `disabled`, `failed`, `needs_auth` or `needs_client_registration`. */
  status: string;
  error?: string;
}

/**
 * The MCP servers configured for `directory`, by name.
 *
 * @example
 * ```ts
 * const servers = await loadMcpServers(supervisor, "/home/me/app");
 * ```
 */
export async function loadMcpServers(
  source: EndpointSource,
  directory: string,
): Promise<McpServerRow[]> {
  const status = await opencodeApi<Record<string, { status: string; error?: string }>>(
    source,
    "/mcp",
    { directory },
  );
  return Object.entries(status)
    .map(([name, value]) => ({ name, status: value.status, error: value.error }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** Connects (`connect: true`) or disconnects the MCP server `name` of `directory`. */
export async function setMcpConnected(
  source: EndpointSource,
  directory: string,
  name: string,
  connect: boolean,
): Promise<void> {
  const action = connect ? "connect" : "disconnect";
  await opencodeApi(source, `/mcp/${encodeURIComponent(name)}/${action}`, {
    method: "POST",
    directory,
    timeoutMs: 60_000,
  });
}
