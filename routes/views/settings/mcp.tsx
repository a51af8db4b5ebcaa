/**
 * The MCP servers section of Settings: a project to look at, then each of its MCP servers with
 * its status and a `Connect` or `Disconnect` button. Plain forms: it works without JavaScript.
 */

import type { Project } from "../../../lib/common/discovery_types.ts";
import type { McpServerRow } from "../../../lib/server/settings/mcp.ts";

export interface McpSectionProps {
  projects: Project[];
  /** The chosen project folder. */
  directory?: string;
  servers?: McpServerRow[];
  /** Why the servers could not be read, or the last action failed. */
  error?: string;
}

const STATUS_LABEL: Record<string, string> = {
  connected: "Connected",
  disabled: "Disconnected",
  failed: "Failed",
  needs_auth: "Needs sign-in",
  needs_client_registration: "Needs client registration",
};

export function McpSection({ projects, directory, servers, error }: McpSectionProps) {
  const query = directory ? `?directory=${encodeURIComponent(directory)}` : "";
  return (
    <section class="settings-section" id="mcp" aria-labelledby="mcp-heading">
      <h2 id="mcp-heading">MCP servers</h2>
      <form class="settings-form" method="get" action="/settings#mcp">
        <label>
          Project
          <select name="directory">
            {projects.map((project) => (
              <option
                key={project.id}
                value={project.worktree}
                selected={project.worktree === directory}
              >
                {project.name} ({project.worktree})
              </option>
            ))}
          </select>
        </label>
        <button type="submit" class="button">Show</button>
      </form>
      {error && <p class="field-error" role="alert">{error}</p>}
      {servers && servers.length === 0 && (
        <p class="muted">This project has no MCP servers configured.</p>
      )}
      {servers && servers.length > 0 && (
        <ul class="mcp-servers">
          {servers.map((server) => {
            const connected = server.status === "connected";
            return (
              <li key={server.name} class="provider">
                <form
                  class="settings-form"
                  method="post"
                  action={`/settings/mcp/${encodeURIComponent(server.name)}/${
                    connected ? "disconnect" : "connect"
                  }${query}`}
                >
                  <strong>{server.name}</strong>
                  <span class={`provider-state ${connected ? "connected" : ""}`}>
                    {STATUS_LABEL[server.status] ?? server.status}
                    {server.error && `: ${server.error}`}
                  </span>
                  <button
                    type="submit"
                    class="button"
                    aria-label={`${connected ? "Disconnect" : "Connect"} ${server.name}`}
                  >
                    {connected ? "Disconnect" : "Connect"}
                  </button>
                </form>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
