/**
 * Every remote server the user added, each with its one connection ({@linkcode RemoteServer}):
 * added after a check (the address written one way, not Palot itself, not twice, and answering
 * `/global/health` as OpenCode with that password), renamed, removed, and saved in Palot's state
 * folder ({@linkcode ServerStore}). Their events go to `onEvent`, tagged with the server's id.
 */

import { join } from "node:path";
import { RemoteMessageIndex } from "./remote_message_index.ts";
import type { HubEvent } from "../../common/hub_event.ts";
import { normalizeAddress, refuseSelf, ServerInputError } from "./server_address.ts";
import { checkServer } from "./server_check.ts";
import { type SavedServer, ServerStore } from "./server_store.ts";
import { httpEndpoint, RemoteServer } from "./remote_server.ts";
import { parseSshTarget, SshHost, type SshInput, type SshTarget } from "./ssh_host.ts";

export interface RemoteServersOptions {
  stateDir: string;
  onEvent?: (event: HubEvent) => void;
  /** Longest wait for the check and for each call (default 5 s / 10 s). */
  checkTimeoutMs?: number;
  timeoutMs?: number;
  log?: (line: string) => void;
  /** Extra `ssh` arguments for every SSH host (tests: `-F <config>`). */
  sshArgs?: string[];
}

/** What a page may show of a server: never its password. */
export interface ServerView {
  id: string;
  name: string;
  /** Its address (`http://…`) or SSH target (`user@host`). */
  address: string;
  kind: "http" | "ssh";
}

export class RemoteServers {
  #store: ServerStore;
  #options: RemoteServersOptions;
  #servers = new Map<string, RemoteServer>();
  /** The SSH connection of each server reached over SSH. */
  #hosts = new Map<string, SshHost>();
  #saved: SavedServer[];
  /** Each server's messages, indexed for search. */
  #indexes = new Map<string, RemoteMessageIndex>();
  #started = false;

  constructor(options: RemoteServersOptions) {
    this.#options = options;
    this.#store = new ServerStore(options.stateDir);
    this.#saved = this.#store.list();
    for (const saved of this.#saved) this.#servers.set(saved.id, this.#connection(saved));
  }

  /** The servers, in the order they were added. */
  list(): RemoteServer[] {
    return [...this.#servers.values()];
  }

  get(id: string): RemoteServer | undefined {
    return this.#servers.get(id);
  }

  /** The index of a server's messages (see {@linkcode RemoteMessageIndex}). */
  messageIndex(id: string): RemoteMessageIndex | undefined {
    return this.#indexes.get(id);
  }

  /** What Settings shows of each server. */
  views(): ServerView[] {
    return this.#saved.map(({ id, name, access }) => ({
      id,
      name,
      kind: access.kind,
      address: access.kind === "http"
        ? access.address
        : `${access.target}${access.port ? `:${access.port}` : ""}`,
    }));
  }

  start(): void {
    this.#started = true;
    for (const [id, server] of this.#servers) {
      this.#hosts.get(id)?.start();
      server.start();
      this.#indexes.get(id)?.start();
    }
  }

  /** Ends every connection, and the servers Palot started on SSH hosts. */
  async stop(): Promise<void> {
    this.#started = false;
    await Promise.all([...this.#indexes.values()].map((index) => index.stop()));
    await Promise.all([...this.#servers.values()].map((server) => server.stop()));
    await Promise.all([...this.#hosts.values()].map((host) => host.stop()));
  }

  /**
   * Checks and saves a server reached over HTTP; throws a {@linkcode ServerInputError} saying why
   * when it cannot be added.
   *
   * @example
   * ```ts
   * await servers.add({ address: "http://10.0.0.5:4096", password: "secret" }, config);
   * ```
   *
   * `palot` is where Palot itself listens: that address is refused.
   */
  async add(
    input: { address: string; password: string; name?: string },
    palot: { port: number; hostname: string },
  ): Promise<RemoteServer> {
    const address = normalizeAddress(input.address);
    refuseSelf(address, palot);
    const twin = this.#saved.find((saved) =>
      saved.access.kind === "http" && saved.access.address === address
    );
    if (twin) throw new ServerInputError(`${address} is already added, as "${twin.name}"`);
    await checkServer(address, input.password, { timeoutMs: this.#options.checkTimeoutMs });
    const name = input.name?.trim() || new URL(address).host;
    return await this.#save({
      id: this.#newId(name),
      name,
      access: { kind: "http", address, password: input.password },
    });
  }

  /**
   * Reaches an SSH host (starting OpenCode there when Palot's is not running, or forwarding to the
   * user's own `opencode serve` there when its port is given) and saves it; throws a
   * {@linkcode ServerInputError} with `ssh`'s message when it cannot.
   */
  async addSsh(input: SshInput & { name?: string }): Promise<RemoteServer> {
    const target = parseSshTarget(input);
    const twin = this.#saved.find(({ access }) =>
      access.kind === "ssh" && access.target === target.target && access.port === target.port
    );
    if (twin) throw new ServerInputError(`${target.target} is already added, as "${twin.name}"`);
    const host = this.#sshHost(target);
    await host.connect();
    const name = input.name?.trim() || target.target;
    const id = this.#newId(name);
    this.#hosts.set(id, host);
    return await this.#save({ id, name, access: { kind: "ssh", ...target } });
  }

  async rename(id: string, name: string): Promise<void> {
    const saved = this.#saved.find((server) => server.id === id);
    if (!saved) throw new ServerInputError(`No server "${id}": it may have been removed`);
    const trimmed = name.trim();
    if (!trimmed) throw new ServerInputError("Give the server a name");
    saved.name = trimmed;
    this.#servers.get(id)!.name = trimmed;
    await this.#store.save(this.#saved);
  }

  async remove(id: string): Promise<void> {
    const server = this.#servers.get(id);
    const host = this.#hosts.get(id);
    this.#hosts.delete(id);
    this.#saved = this.#saved.filter((saved) => saved.id !== id);
    this.#servers.delete(id);
    await this.#store.save(this.#saved);
    const index = this.#indexes.get(id);
    this.#indexes.delete(id);
    await index?.remove();
    await server?.stop();
    await host?.stop();
  }

  /** The saved entry (with its secrets: server side only). */
  saved(id: string): SavedServer | undefined {
    return this.#saved.find((server) => server.id === id);
  }

  async #save(saved: SavedServer): Promise<RemoteServer> {
    this.#saved.push(saved);
    await this.#store.save(this.#saved);
    const server = this.#connection(saved);
    this.#servers.set(saved.id, server);
    if (this.#started) {
      this.#hosts.get(saved.id)?.start();
      server.start();
      this.#indexes.get(saved.id)?.start();
    }
    return server;
  }

  #connection(saved: SavedServer): RemoteServer {
    const { access } = saved;
    let endpoint: () => ReturnType<RemoteServer["endpoint"]>;
    if (access.kind === "http") {
      const fixed = httpEndpoint(access.address, access.password);
      endpoint = () => fixed;
    } else {
      let host = this.#hosts.get(saved.id);
      if (!host) {
        host = this.#sshHost(access);
        this.#hosts.set(saved.id, host);
      }
      const reached = host;
      endpoint = () => reached.endpoint();
    }
    const server = new RemoteServer({
      id: saved.id,
      name: saved.name,
      endpoint,
      offlineReason: access.kind === "ssh" ? () => this.#hosts.get(saved.id)?.lastError : undefined,
      onEvent: (event) => {
        // A session came or changed (a message, a title, an Undo): its messages are read again.
        const type = event.payload.type;
        const index = this.#indexes.get(saved.id);
        if (type === "session.created" || type === "session.updated") index?.changed();
        if (type === "session.deleted") {
          const info = (event.payload.properties as { info?: { id?: unknown } } | undefined)?.info;
          if (typeof info?.id === "string") index?.forget(info.id);
        }
        this.#options.onEvent?.(event);
      },
      timeoutMs: this.#options.timeoutMs,
      log: (line) => this.#options.log?.(`${saved.name}: ${line}`),
    });
    this.#indexes.set(
      saved.id,
      new RemoteMessageIndex(
        server,
        join(this.#options.stateDir, "remote-search", `${saved.id}.db`),
      ),
    );
    return server;
  }

  #sshHost(target: SshTarget): SshHost {
    return new SshHost({
      ...target,
      sshArgs: this.#options.sshArgs,
      log: (line) => this.#options.log?.(`${target.target}: ${line}`),
    });
  }

  /** A short id from the name, unique among the servers (`desk`, `desk-2`). */
  #newId(name: string): string {
    const base = name.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "")
      .slice(0, 32) || "server";
    let id = base;
    for (let n = 2; this.#servers.has(id) || id === "local"; n++) id = `${base}-${n}`;
    return id;
  }
}
