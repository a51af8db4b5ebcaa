/**
 * An OpenCode server on another machine reached over SSH, with the system `ssh` (never an SSH of
 * Palot's own; the user's `~/.ssh/config`, agent and known hosts apply) in batch mode: a host key
 * that is not known, or a password prompt, fails at once with `ssh`'s own message. Palot starts
 * `opencode serve --hostname 127.0.0.1` there with a generated password when the one it started
 * before is not running (its port, password and pid are kept in a 0600 file in the host's
 * `~/.local/state/palot-remote/`), forwards a local loopback port to it (`ssh -N -L`), and on
 * stop ends the forward and the server it started. A forward that ends is started again with
 * backoff; the endpoint is `undefined` meanwhile, so the server reads as offline with the reason.
 * When the user already runs `opencode serve` on the host and gives its port and password
 * (`serve`), Palot forwards to it instead, and never starts or stops a server there.
 */

import { basicAuthorization, type OpencodeEndpoint } from "../opencode/endpoint.ts";
import { checkHealth } from "../opencode/supervisor/health.ts";
import { sleep } from "../sleep.ts";
import { ServerInputError } from "./server_address.ts";
import { checkServer } from "./server_check.ts";

export interface SshTarget {
  /** `user@host`, or a `Host` of the user's ssh config. */
  target: string;
  port?: number;
  /** A private key file (`ssh -i`). */
  identity?: string;
  /** The OpenCode command on that host (default `opencode`). */
  command?: string;
  /** An `opencode serve` the user runs on the host: its port there and its password. */
  serve?: { port: number; password: string };
}

export interface SshHostOptions extends SshTarget {
  /** Extra `ssh` arguments before the target (tests: `-F <config>`). */
  sshArgs?: string[];
  /** Longest wait for the host to start or find its server (default 60 s). */
  startTimeoutMs?: number;
  log?: (line: string) => void;
}

/** What the host's script reports of its server. */
interface RemoteServe {
  port: number;
  password: string;
  pid: number;
}

/** An SSH host as typed in Settings. */
export interface SshInput {
  target: string;
  port?: string;
  identity?: string;
  command?: string;
  /** The port and password of an `opencode serve` already running there, if any. */
  servePort?: string;
  servePassword?: string;
}

/** Checks the typed target, port and identity; throws a {@linkcode ServerInputError} saying why. */
export function parseSshTarget(input: SshInput): SshTarget {
  const target = input.target.trim();
  if (!/^([A-Za-z0-9._-]+@)?[A-Za-z0-9._:\[\]-]+$/.test(target) || target.startsWith("-")) {
    throw new ServerInputError(`"${target}" is not an SSH host: write user@host`);
  }
  const port = input.port?.trim() ? Number(input.port) : undefined;
  if (port !== undefined && !(Number.isInteger(port) && port > 0 && port < 65536)) {
    throw new ServerInputError(`"${input.port}" is not a port: give a number from 1 to 65535`);
  }
  const identity = input.identity?.trim() || undefined;
  const command = input.command?.trim() || undefined;
  if (command && !/^[A-Za-z0-9._\/~-]+$/.test(command)) {
    throw new ServerInputError("Give the OpenCode command as a path, without spaces or quotes");
  }
  const servePort = input.servePort?.trim() ? Number(input.servePort) : undefined;
  if (
    servePort !== undefined && !(Number.isInteger(servePort) && servePort > 0 && servePort < 65536)
  ) {
    throw new ServerInputError(
      `"${input.servePort}" is not a port: give the port of the opencode serve running there`,
    );
  }
  if (servePort === undefined && input.servePassword) {
    throw new ServerInputError(
      "Give the port of the opencode serve running there with its password, or leave both empty",
    );
  }
  const serve = servePort === undefined
    ? undefined
    : { port: servePort, password: input.servePassword ?? "" };
  return { target, port, identity, command, ...serve ? { serve } : {} };
}

/** The shell script run on the host: find the server Palot started there, or start one. */
function serveScript(command: string): string {
  return `set -e
dir="\${XDG_STATE_HOME:-$HOME/.local/state}/palot-remote"
mkdir -p "$dir" && chmod 700 "$dir"
file="$dir/serve.env"
if [ -f "$file" ]; then
  . "$file"
  if kill -0 "$pid" 2>/dev/null; then echo "PALOT port=$port password=$password pid=$pid"; exit 0; fi
fi
password=$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \\n')
log="$dir/serve.log"
: > "$log"
OPENCODE_SERVER_PASSWORD="$password" nohup ${command} serve --hostname 127.0.0.1 --port 0 > "$log" 2>&1 < /dev/null &
pid=$!
i=0
while [ $i -lt 600 ]; do
  port=$(grep -o 'http://127.0.0.1:[0-9]*' "$log" | head -n 1 | sed 's/.*://')
  if [ -n "$port" ]; then
    umask 077
    printf 'port=%s\\npassword=%s\\npid=%s\\n' "$port" "$password" "$pid" > "$file"
    echo "PALOT port=$port password=$password pid=$pid"
    exit 0
  fi
  if ! kill -0 "$pid" 2>/dev/null; then echo "opencode serve ended: $(tail -n 5 "$log")" >&2; exit 3; fi
  sleep 0.1
  i=$((i + 1))
done
echo "opencode serve did not start within 60 s" >&2
exit 4`;
}

/** A local loopback port that was free a moment ago. */
function freeLocalPort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = listener.addr as Deno.NetAddr;
  listener.close();
  return port;
}

export class SshHost {
  #options: SshHostOptions;
  #endpoint: OpencodeEndpoint | undefined;
  #serve: RemoteServe | undefined;
  #forward: Deno.ChildProcess | undefined;
  #stopped = new AbortController();
  #loop: Promise<void> | undefined;
  /** Why the host is not reachable now, in `ssh`'s words. */
  lastError: string | undefined;

  constructor(options: SshHostOptions) {
    this.#options = options;
  }

  endpoint(): OpencodeEndpoint | undefined {
    return this.#endpoint;
  }

  /**
   * Reaches the host once: its server found or started, and the forward up. Throws a
   * {@linkcode ServerInputError} with `ssh`'s message when it cannot.
   */
  async connect(): Promise<OpencodeEndpoint> {
    const serve = await this.#ensureServe();
    this.#serve = serve;
    const local = freeLocalPort();
    const forward = new Deno.Command("ssh", {
      args: [
        ...this.#baseArgs(),
        "-N",
        "-o",
        "ExitOnForwardFailure=yes",
        "-o",
        "ServerAliveInterval=10",
        "-o",
        "ServerAliveCountMax=3",
        "-L",
        `127.0.0.1:${local}:127.0.0.1:${serve.port}`,
        this.#options.target,
      ],
      stdin: "null",
      stdout: "null",
      stderr: "piped",
    }).spawn();
    this.#forward = forward;
    const stderr = new Response(forward.stderr).text();
    const url = `http://127.0.0.1:${local}`;
    const authorization = basicAuthorization(serve.password);
    const deadline = Date.now() + 15_000;
    let exited = false;
    forward.status.then(() => exited = true);
    while (!(await checkHealth(url, authorization, 2_000))) {
      const refusal = this.#options.serve && await this.#adoptedRefusal(url);
      if (refusal) {
        try {
          forward.kill();
        } catch { /* ended */ }
        throw new ServerInputError(refusal);
      }
      if (exited || Date.now() > deadline) {
        try {
          forward.kill();
        } catch { /* ended */ }
        const own = this.#options.serve;
        const message = (await stderr).trim().split("\n").at(-1) ||
          (own
            ? `nothing answers on port ${own.port} there: is opencode serve running on that port?`
            : "the forwarded port did not answer");
        throw new ServerInputError(`ssh ${this.#options.target}: ${message}`);
      }
      await sleep(200);
    }
    this.#endpoint = { url, authorization };
    this.lastError = undefined;
    stderr.then((text) => {
      if (text.trim()) this.lastError = text.trim().split("\n").at(-1);
    });
    return this.#endpoint;
  }

  /** Keeps the forward up in the background (after {@linkcode connect} or without it). */
  start(): void {
    this.#loop ??= (async () => {
      let delay = 500;
      while (!this.#stopped.signal.aborted) {
        if (!this.#forward) {
          try {
            await this.connect();
            delay = 500;
          } catch (error) {
            this.lastError = (error as Error).message;
            this.#options.log?.(this.lastError);
            await sleep(delay, this.#stopped.signal);
            delay = Math.min(delay * 2, 15_000);
            continue;
          }
        }
        const forward = this.#forward!;
        const aborted = new Promise<void>((resolve) =>
          this.#stopped.signal.addEventListener("abort", () => resolve(), { once: true })
        );
        await Promise.race([forward.status, aborted]);
        this.#endpoint = undefined;
        this.#forward = undefined;
        if (this.#stopped.signal.aborted) {
          try {
            forward.kill();
          } catch { /* ended */ }
          await forward.status;
          break;
        }
        this.#options.log?.("The SSH forward ended; reconnecting");
        await sleep(delay, this.#stopped.signal);
        delay = Math.min(delay * 2, 15_000);
      }
    })();
  }

  /**
   * Why the user's own server on the host cannot be used (a wrong password, not OpenCode), or
   * `undefined` while it may just not answer yet.
   */
  async #adoptedRefusal(url: string): Promise<string | undefined> {
    const { target, serve } = this.#options;
    try {
      await checkServer(url, serve!.password, { timeoutMs: 2_000 });
      return undefined;
    } catch (error) {
      const message = (error as Error).message;
      if (/^Wrong password/.test(message)) {
        return `Wrong password for the opencode serve on ${target} port ${serve!.port}: give ` +
          "the OPENCODE_SERVER_PASSWORD it was started with";
      }
      if (/is not an OpenCode server/.test(message)) {
        return `Port ${serve!.port} on ${target} is not an OpenCode server: give the port of ` +
          "opencode serve";
      }
      return undefined;
    }
  }

  /** Ends the forward and the server Palot started on the host. */
  async stop(): Promise<void> {
    this.#stopped.abort();
    if (!this.#loop && this.#forward) {
      try {
        this.#forward.kill();
      } catch { /* ended */ }
      await this.#forward.status;
    }
    await this.#loop;
    const serve = this.#serve;
    if (!serve || !serve.pid) return;
    // OpenCode may take its time over SIGTERM (booting an instance): 5 s, then SIGKILL.
    await this.#ssh(
      `pid=${serve.pid}; kill $pid 2>/dev/null; i=0; ` +
        `while kill -0 $pid 2>/dev/null && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done; ` +
        `kill -9 $pid 2>/dev/null; ` +
        `rm -f "\${XDG_STATE_HOME:-$HOME/.local/state}/palot-remote/serve.env"`,
      10_000,
    ).catch((error) => this.#options.log?.(`Cannot stop its opencode: ${error.message}`));
  }

  #baseArgs(): string[] {
    const { port, identity, sshArgs = [] } = this.#options;
    return [
      ...sshArgs,
      "-o",
      "BatchMode=yes",
      "-o",
      "ConnectTimeout=10",
      ...port ? ["-p", String(port)] : [],
      ...identity ? ["-i", identity] : [],
    ];
  }

  async #ensureServe(): Promise<RemoteServe> {
    // The user's own server: nothing to start (and, with no pid, nothing to stop).
    const own = this.#options.serve;
    if (own) return { port: own.port, password: own.password, pid: 0 };
    const out = await this.#ssh(
      serveScript(this.#options.command ?? "opencode"),
      this.#options.startTimeoutMs ?? 60_000,
    );
    const line = out.split("\n").find((each) => each.startsWith("PALOT "));
    const fields = Object.fromEntries(
      (line ?? "").slice(6).split(" ").map((pair) => pair.split("=", 2)),
    );
    const port = Number(fields.port);
    if (!line || !port || !fields.password) {
      throw new ServerInputError(`${this.#options.target} did not report its opencode server`);
    }
    return { port, password: fields.password, pid: Number(fields.pid) };
  }

  /** Runs `script` on the host; resolves with its output, or throws with ssh's message. */
  async #ssh(script: string, timeoutMs: number): Promise<string> {
    const child = new Deno.Command("ssh", {
      args: [...this.#baseArgs(), this.#options.target, script],
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
      signal: AbortSignal.timeout(timeoutMs),
    });
    let output: Deno.CommandOutput;
    try {
      output = await child.output();
    } catch (error) {
      throw new ServerInputError(`Cannot run ssh: ${(error as Error).message}`);
    }
    const text = new TextDecoder();
    if (!output.success) {
      const message = text.decode(output.stderr).trim().split("\n").filter(Boolean).at(-1) ??
        `ssh ended with status ${output.code}`;
      throw new ServerInputError(`ssh ${this.#options.target}: ${message}`);
    }
    return text.decode(output.stdout);
  }
}
