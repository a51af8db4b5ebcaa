/**
 * Settings → Servers: the other machines' OpenCode servers Palot shows beside this one. `Add
 * server` (`Server address`, `Password`, an optional `Name`) is checked before it is saved, and a
 * refusal is shown beside the form with why; each server listed has its status, `Rename` and
 * `Remove`. Passwords are never rendered. The forms post to `routes/settings.tsx`.
 */

import type { ServerView } from "../../../lib/server/remote/remote_servers.ts";
import type { ServerStatus } from "../../../lib/server/remote/remote_server.ts";
import { MachineStatus } from "../machine_status.tsx";

export interface ServersNotice {
  /** The form the message belongs to: `add`, or a server's id. */
  form: string;
  error?: string;
  ok?: string;
}

export interface ServersSectionProps {
  servers: (ServerView & { status: ServerStatus })[];
  notice?: ServersNotice;
  /** What the user typed, kept when an add form is refused (never the password). */
  typed?: Record<string, string>;
}

export function ServersSection({ servers, notice, typed }: ServersSectionProps) {
  const addError = notice?.form === "add" ? notice.error : undefined;
  return (
    <section class="settings-section" aria-labelledby="servers" id="servers-section">
      <h2 id="servers">Servers</h2>
      <p class="muted">
        OpenCode servers on other machines, listed beside this one on the home page. Start one with
        {" "}
        <code>OPENCODE_SERVER_PASSWORD=… opencode serve --hostname 0.0.0.0 --port 4096</code>. Their
        passwords stay on this machine.
      </p>
      {notice?.ok && <p class="field-ok" role="status">{notice.ok}</p>}
      {servers.length > 0 && (
        <ul class="server-list">
          {servers.map((server) => (
            <li key={server.id} class="server-row" data-server={server.id}>
              <strong>{server.name}</strong> <code>{server.address}</code>{" "}
              <MachineStatus server={server} />
              <form
                class="settings-form"
                method="post"
                action={`/settings/servers/${encodeURIComponent(server.id)}/rename`}
              >
                <label for={`server-name-${server.id}`}>New name for {server.name}</label>
                <input
                  id={`server-name-${server.id}`}
                  name="name"
                  value={server.name}
                  required
                  maxLength={80}
                />
                <button type="submit" class="button">Rename</button>
              </form>
              <form
                class="settings-form"
                method="post"
                action={`/settings/servers/${encodeURIComponent(server.id)}/remove`}
              >
                <button type="submit" class="button danger" aria-label={`Remove ${server.name}`}>
                  Remove
                </button>
              </form>
              {notice?.form === server.id && notice.error && (
                <p class="field-error" role="alert">{notice.error}</p>
              )}
            </li>
          ))}
        </ul>
      )}
      <form class="settings-form server-add" method="post" action="/settings/servers">
        <label for="server-address">Server address</label>
        <input
          id="server-address"
          name="address"
          placeholder="http://host:4096"
          autocomplete="off"
          value={typed?.address ?? ""}
          aria-invalid={addError ? true : undefined}
          aria-describedby={addError ? "server-add-error" : undefined}
        />
        <label for="server-password">Password</label>
        <input id="server-password" name="password" type="password" autocomplete="off" />
        <label for="server-name">Name</label>
        <input
          id="server-name"
          name="name"
          placeholder="optional"
          maxLength={80}
          value={typed?.name ?? ""}
        />
        <button type="submit" class="button primary">Add server</button>
      </form>
      {addError && <p id="server-add-error" class="field-error" role="alert">{addError}</p>}
      <SshForm notice={notice} typed={typed} />
    </section>
  );
}

/**
 * `Add SSH host`: `user@host`, an optional port and identity file, and the OpenCode command there
 * (default `opencode`), or the port and password of an `opencode serve` the user already runs
 * there. Palot runs the system `ssh` in batch mode: keys and the user's ssh config only, never a
 * password prompt.
 */
function SshForm({ notice, typed }: Pick<ServersSectionProps, "notice" | "typed">) {
  const error = notice?.form === "ssh" ? notice.error : undefined;
  return (
    <>
      <h3>SSH host</h3>
      <p class="muted">
        Palot reaches the host with your <code>ssh</code>{" "}
        (keys, agent and ~/.ssh/config; never a password) and starts <code>opencode serve</code>
        {" "}
        there if it has none running, stopping it when Palot stops.
      </p>
      <form class="settings-form server-add" method="post" action="/settings/servers/ssh">
        <label for="ssh-target">SSH host</label>
        <input
          id="ssh-target"
          name="target"
          placeholder="user@host"
          autocomplete="off"
          value={typed?.target ?? ""}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? "ssh-add-error" : undefined}
        />
        <label for="ssh-port">SSH port</label>
        <input
          id="ssh-port"
          name="port"
          inputMode="numeric"
          placeholder="22"
          value={typed?.port ?? ""}
        />
        <label for="ssh-identity">Identity file</label>
        <input
          id="ssh-identity"
          name="identity"
          placeholder="~/.ssh/id_ed25519"
          value={typed?.identity ?? ""}
        />
        <label for="ssh-command">OpenCode command</label>
        <input
          id="ssh-command"
          name="command"
          placeholder="opencode"
          value={typed?.command ?? ""}
        />
        <fieldset class="ssh-own-serve">
          <legend>Your own opencode serve there (optional)</legend>
          <p class="muted">
            Already running <code>opencode serve</code>{" "}
            on the host? Give its port and password and Palot uses it (never starting or stopping
            one).
          </p>
          <label for="ssh-serve-port">OpenCode port there</label>
          <input
            id="ssh-serve-port"
            name="servePort"
            inputMode="numeric"
            placeholder="4096"
            value={typed?.servePort ?? ""}
          />
          <label for="ssh-serve-password">OpenCode password there</label>
          <input
            id="ssh-serve-password"
            name="servePassword"
            type="password"
            autocomplete="off"
          />
        </fieldset>
        <label for="ssh-name">Name of the host</label>
        <input id="ssh-name" name="name" placeholder="optional" value={typed?.sshName ?? ""} />
        <button type="submit" class="button primary">Add SSH host</button>
      </form>
      {error && <p id="ssh-add-error" class="field-error" role="alert">{error}</p>}
    </>
  );
}
