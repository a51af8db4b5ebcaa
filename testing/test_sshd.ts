/**
 * A real `sshd` on 127.0.0.1 for tests of SSH hosts, with host and user keys made for it
 * (`ssh-keygen`) and an `ssh_config` (Palot reads it from `PALOT_SSH_CONFIG`) naming three hosts:
 * `testbox` (known host key, the user's key: reached), `strangebox` (a host key not known) and
 * `lockedbox` (a key the host refuses; it would ask for a password). The "host" runs OpenCode in
 * `world`'s HOME through {@linkcode TestSshd.opencode}, a wrapper to give as the host's command.
 *
 * @example
 * ```ts
 * await using sshd = await startTestSshd(other);
 * const palot = await startPalot(world, { env: { PALOT_SSH_CONFIG: sshd.config } });
 * ```
 */

import { join } from "node:path";
import { npmOpencodeBinary } from "../lib/server/opencode/supervisor/binary.ts";
import { freePort, type OpencodeWorld, waitFor } from "./world.ts";

export interface TestSshd extends AsyncDisposable {
  port: number;
  /** The `ssh_config` naming `testbox`, `strangebox` and `lockedbox`. */
  config: string;
  /** The OpenCode command on the host (in the world's HOME). */
  opencode: string;
  /** Where a Palot on the host keeps what it started (`palot-remote/serve.env`). */
  state: string;
}

async function run(command: string, args: string[]): Promise<void> {
  const output = await new Deno.Command(command, { args, stdout: "null", stderr: "piped" })
    .output();
  if (!output.success) throw new Error(new TextDecoder().decode(output.stderr));
}

/**
 * Writes the keys and configs to a temporary folder and starts `sshd` (in `dir` when given, a
 * folder that must exist and be empty: a test that needs the config's path before it starts).
 */
export async function startTestSshd(world: OpencodeWorld, dir?: string): Promise<TestSshd> {
  dir ??= await Deno.makeTempDir({ prefix: "palot-sshd-" });
  const file = (name: string) => join(dir, name);
  await run("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", file("host_key")]);
  await run("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", file("user_key")]);
  await run("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", file("stranger_key")]);
  await Deno.copyFile(file("user_key.pub"), file("authorized_keys"));
  const port = freePort();
  const state = join(world.root, "state");
  await Deno.writeTextFile(
    file("sshd_config"),
    [
      `Port ${port}`,
      "ListenAddress 127.0.0.1",
      `HostKey ${file("host_key")}`,
      `AuthorizedKeysFile ${file("authorized_keys")}`,
      // A host that would ask for a password: batch mode refuses instead of prompting.
      "PasswordAuthentication yes",
      "KbdInteractiveAuthentication yes",
      "PubkeyAuthentication yes",
      "PermitRootLogin prohibit-password",
      "StrictModes no",
      "UsePAM no",
      `PidFile ${file("sshd.pid")}`,
      "AllowTcpForwarding yes",
      `SetEnv XDG_STATE_HOME=${state}`,
    ].join("\n") + "\n",
  );
  await Deno.mkdir("/run/sshd", { recursive: true });
  const hostKey = (await Deno.readTextFile(file("host_key.pub"))).trim();
  await Deno.writeTextFile(file("known_hosts"), `[127.0.0.1]:${port} ${hostKey}\n`);
  await Deno.writeTextFile(file("empty_known_hosts"), "");
  const user = Deno.env.get("USER") ?? "root";
  const host = (name: string, key: string, known: string) =>
    [
      `Host ${name}`,
      "  HostName 127.0.0.1",
      `  Port ${port}`,
      `  User ${user}`,
      `  IdentityFile ${file(key)}`,
      "  IdentitiesOnly yes",
      `  UserKnownHostsFile ${file(known)}`,
      "  StrictHostKeyChecking yes",
    ].join("\n");
  await Deno.writeTextFile(
    file("ssh_config"),
    [
      host("testbox", "user_key", "known_hosts"),
      host("strangebox", "user_key", "empty_known_hosts"),
      host("lockedbox", "stranger_key", "known_hosts"),
    ].join("\n") + "\n",
  );
  const wrapper = file("opencode.sh");
  await Deno.writeTextFile(
    wrapper,
    `#!/bin/sh\n${
      Object.entries(world.env).map(([key, value]) => `export ${key}='${value}'`).join("\n")
    }\nexec '${npmOpencodeBinary()}' "$@"\n`,
  );
  await Deno.chmod(wrapper, 0o755);
  const sshd = new Deno.Command("/usr/sbin/sshd", {
    args: ["-D", "-e", "-f", file("sshd_config")],
    // Not piped: a session still open (a forward) would hold the pipe after sshd ends.
    stdout: "null",
    stderr: "null",
  }).spawn();
  const stop = async () => {
    try {
      sshd.kill();
    } catch { /* ended */ }
    await sshd.status;
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  };
  try {
    await waitFor(async () => {
      try {
        (await Deno.connect({ hostname: "127.0.0.1", port })).close();
        return true;
      } catch {
        return false;
      }
    }, { message: "sshd listening" });
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    port,
    config: file("ssh_config"),
    opencode: wrapper,
    state,
    [Symbol.asyncDispose]: stop,
  };
}
