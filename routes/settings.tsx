/**
 * `/settings`: a thin page composing sections, each from `routes/views/settings/`: model providers
 * (state, models, API keys, sign-in), the MCP servers of a chosen project, and notifications.
 * Every action is a plain same-origin form POST (the edge middleware checks origin and token) that calls OpenCode's
 * own endpoints and redirects back; a bad input re-renders the page with its message beside the
 * field. Palot keeps none of it.
 */

import { join } from "node:path";
import { Hono } from "hono";
import type { Context } from "hono";
import type { AppServices } from "../lib/server/services.ts";
import { OpencodeApiError } from "../lib/server/opencode/opencode_api.ts";
import { loadMcpServers, type McpServerRow, setMcpConnected } from "../lib/server/settings/mcp.ts";
import {
  finishOauth,
  loadProviders,
  ProviderInputError,
  type ProviderRow,
  removeCredential,
  saveApiKey,
  startOauth,
} from "../lib/server/settings/providers.ts";
import { renderPage } from "./views/document.ts";
import { Shell } from "./views/layout.tsx";
import { liveContext } from "./views/live_context.ts";
import { McpSection } from "./views/settings/mcp.tsx";
import { NotificationSettings } from "../islands/mod.ts";
import { remoteAccess, RemoteAccessSection } from "./views/settings/token.tsx";
import { ServerInputError } from "../lib/server/remote/server_address.ts";
import { type ServersNotice, ServersSection } from "./views/settings/servers.tsx";
import {
  type PendingOauth,
  type ProviderNotice,
  ProvidersSection,
} from "./views/settings/providers.tsx";

interface PageState {
  notice?: ProviderNotice;
  oauth?: PendingOauth;
  mcpError?: string;
  servers?: ServersNotice;
  typed?: Record<string, string>;
  status?: number;
}

/** An error OpenCode or the user caused, in words; anything else is a bug and is rethrown. */
function message(error: unknown): string {
  if (error instanceof OpencodeApiError || error instanceof ProviderInputError) {
    return error.message;
  }
  throw error;
}

export function settingsRoutes(services: AppServices): Hono {
  const { supervisor, discovery } = services;
  // OpenCode's file of keys: written by `opencode auth login` too, so its time says when the
  // providers' states may have changed outside Palot.
  const keysFile = join(services.config.dataDir, "auth.json");
  const reload = {
    busy: () => services.live?.index.busySessionIds().size ?? 0,
    onReloaded: () => services.toolbars?.clear(),
  };

  const page = async (c: Context, state: PageState = {}) => {
    const projects = discovery.listProjects().slice(0, 100);
    const directory = c.req.query("directory") ?? projects[0]?.worktree;
    let providers: ProviderRow[] | undefined;
    let loadError: string | undefined;
    let servers: McpServerRow[] | undefined;
    let mcpError = state.mcpError;
    const saved = c.req.query("saved");
    const removed = c.req.query("removed");
    const pending = c.req.query("pending") === "1";
    const notice = state.notice ??
      (saved
        ? { provider: saved, saved: true, unchecked: c.req.query("unchecked"), pending }
        : removed
        ? { provider: removed, removed: true, pending }
        : undefined);
    await Promise.all([
      loadProviders(supervisor, directory, { keysFile }).then((rows) => providers = rows).catch(
        (error) => loadError = `Cannot list providers: ${message(error)}`,
      ),
      directory
        ? loadMcpServers(supervisor, directory).then((rows) => servers = rows).catch((error) => {
          mcpError ??= `Cannot read the MCP servers: ${message(error)}`;
        })
        : undefined,
    ]);
    const live = liveContext(services);
    return renderPage(
      <Shell live={live}>
        <h1>Settings</h1>
        <ProvidersSection
          providers={providers}
          loadError={loadError}
          notice={notice}
          oauth={state.oauth}
        />
        <McpSection projects={projects} directory={directory} servers={servers} error={mcpError} />
        <NotificationSettings
          projects={discovery.listProjects().map(({ name, worktree }) => ({ name, worktree }))}
        />
        {services.remotes && (
          <ServersSection
            servers={services.remotes.views().map((view) => ({
              ...view,
              status: services.remotes!.get(view.id)?.status ?? { state: "connecting" },
            }))}
            notice={state.servers ??
              (c.req.query("server-added")
                ? { form: "add", ok: `Added ${c.req.query("server-added")}.` }
                : c.req.query("server-removed")
                ? { form: "add", ok: `Removed ${c.req.query("server-removed")}.` }
                : undefined)}
            typed={state.typed}
          />
        )}
        <RemoteAccessSection {...remoteAccess(c, services)} />
      </Shell>,
      { title: "Settings · Palot", eventId: live.eventId, status: state.status ?? 200 },
    );
  };

  const form = async (c: Context) => {
    const body = await c.req.parseBody();
    return (name: string) => typeof body[name] === "string" ? body[name] as string : "";
  };
  /** Back to the provider, saying it was saved (and why the key could not be checked, if so). */
  /**
   * Back to the provider after a change, saying whether OpenCode applies it now or, an agent being
   * at work, once none is (`pending`: its reload waits for them).
   */
  const changed = (c: Context, provider: string, change: Record<string, string>) => {
    const query = new URLSearchParams(change);
    if (reload.busy() > 0) query.set("pending", "1");
    return c.redirect(`/settings?${query}#provider-${provider}`, 303);
  };
  const saved = (c: Context, provider: string, unchecked?: string) =>
    changed(c, provider, { saved: provider, ...unchecked ? { unchecked } : {} });
  /** Runs a provider action; a failure is shown beside that provider's field. */
  const providerAction = async (c: Context, act: (provider: string) => Promise<Response>) => {
    const provider = c.req.param("provider")!;
    try {
      const response = await act(provider);
      // A key saved or removed: the home page's first-run note follows.
      services.providerSetup?.refresh();
      return response;
    } catch (error) {
      const status = error instanceof ProviderInputError || error instanceof OpencodeApiError
        ? error.status
        : 500;
      return page(c, { notice: { provider, error: message(error) }, status });
    }
  };

  const routes = new Hono();
  routes.get("/", (c) => page(c));
  routes.post("/providers/:provider/key", (c) =>
    providerAction(c, async (provider) => {
      const field = await form(c);
      const check = await saveApiKey(supervisor, provider, field("key"), reload);
      return saved(c, provider, check.verdict === "unchecked" ? check.reason : undefined);
    }));
  routes.post("/providers/:provider/key/remove", (c) =>
    providerAction(c, async (provider) => {
      await removeCredential(supervisor, provider, reload);
      return changed(c, provider, { removed: provider });
    }));
  routes.post("/providers/:provider/oauth", (c) =>
    providerAction(c, async (provider) => {
      const field = await form(c);
      const method = Number(field("method"));
      const started = await startOauth(
        supervisor,
        provider,
        method,
        (key) => field(`input:${key}`),
      );
      return page(c, {
        oauth: {
          provider,
          method,
          url: started.url,
          kind: started.method,
          instructions: started.instructions,
        },
      });
    }));
  routes.post("/providers/:provider/oauth/callback", (c) =>
    providerAction(c, async (provider) => {
      const field = await form(c);
      await finishOauth(supervisor, provider, Number(field("method")), field("code"), reload);
      return saved(c, provider);
    }));
  routes.post("/mcp/:name/:action{connect|disconnect}", async (c) => {
    const directory = c.req.query("directory") ?? "";
    const name = c.req.param("name");
    try {
      await setMcpConnected(supervisor, directory, name, c.req.param("action") === "connect");
    } catch (error) {
      return page(c, { mcpError: `Cannot change "${name}": ${message(error)}`, status: 502 });
    }
    return c.redirect(`/settings?directory=${encodeURIComponent(directory)}#mcp`, 303);
  });
  /** Runs a Servers action; bad input is shown beside its form (422), with what was typed. */
  const serverAction = async (
    c: Context,
    form: string,
    act: (field: (name: string) => string) => Promise<Response>,
  ) => {
    const field = await formOf(c);
    try {
      if (!services.remotes) throw new ServerInputError("Servers are not available here");
      return await act(field);
    } catch (error) {
      if (!(error instanceof ServerInputError)) throw error;
      return page(c, {
        servers: { form, error: error.message },
        typed: form === "add"
          ? { address: field("address"), name: field("name") }
          : form === "ssh"
          ? {
            target: field("target"),
            port: field("port"),
            identity: field("identity"),
            command: field("command"),
            servePort: field("servePort"),
            sshName: field("name"),
          }
          : undefined,
        status: 422,
      });
    }
  };
  routes.post("/servers", (c) =>
    serverAction(c, "add", async (field) => {
      const server = await services.remotes!.add({
        address: field("address"),
        password: field("password"),
        name: field("name"),
      }, services.config);
      return c.redirect(`/settings?server-added=${encodeURIComponent(server.name)}#servers`, 303);
    }));
  routes.post("/servers/ssh", (c) =>
    serverAction(c, "ssh", async (field) => {
      const server = await services.remotes!.addSsh({
        target: field("target"),
        port: field("port"),
        identity: field("identity"),
        command: field("command"),
        servePort: field("servePort"),
        servePassword: field("servePassword"),
        name: field("name"),
      });
      return c.redirect(`/settings?server-added=${encodeURIComponent(server.name)}#servers`, 303);
    }));
  routes.post("/servers/:id/rename", (c) =>
    serverAction(c, c.req.param("id"), async (field) => {
      await services.remotes!.rename(c.req.param("id"), field("name"));
      return c.redirect("/settings#servers", 303);
    }));
  routes.post("/servers/:id/remove", (c) =>
    serverAction(c, c.req.param("id"), async () => {
      const name = services.remotes!.get(c.req.param("id"))?.name ?? c.req.param("id");
      await services.remotes!.remove(c.req.param("id"));
      return c.redirect(`/settings?server-removed=${encodeURIComponent(name)}#servers`, 303);
    }));
  return routes;
}

/** A posted form's fields as strings ("" when absent). */
async function formOf(c: Context): Promise<(name: string) => string> {
  const body = await c.req.parseBody();
  return (name: string) => typeof body[name] === "string" ? body[name] as string : "";
}
