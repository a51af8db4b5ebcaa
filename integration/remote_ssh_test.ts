/**
 * An SSH host over the system `ssh`, against a real `sshd` started by the test on 127.0.0.1 with
 * host and user keys made for it (`ssh-keygen`): a host key that is not known and a host that would
 * ask for a password are refused with `ssh`'s message (batch mode); a good host gets an
 * `opencode serve` started by Palot (bound to its loopback, with a generated password), its
 * projects listed on the home page through the forwarded port, a chat through Palot's proxy
 * answered by the fake LLM; when Palot stops, the server it started there is stopped.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { FakeLlm } from "../testing/fake_llm.ts";
import { startPalot } from "../testing/palot.ts";
import { freePort, OpencodeWorld, waitFor } from "../testing/world.ts";
import { npmOpencodeBinary } from "../lib/server/opencode/supervisor/binary.ts";

async function run(command: string, args: string[]): Promise<void> {
  const output = await new Deno.Command(command, { args, stdout: "null", stderr: "piped" })
    .output();
  if (!output.success) throw new Error(new TextDecoder().decode(output.stderr));
}

Deno.test("SSH host: refused with ssh's reason, or reached with opencode started and stopped there", async () => {
  await using llm = await FakeLlm.start();
  await using world = await OpencodeWorld.create();
  await using other = await OpencodeWorld.create({ llm });
  const far = await other.makeProject("ssh-far");
  const dir = await Deno.makeTempDir({ prefix: "palot-sshd-" });
  const file = (name: string) => join(dir, name);
  await run("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", file("host_key")]);
  await run("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", file("user_key")]);
  await run("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", file("stranger_key")]);
  await Deno.copyFile(file("user_key.pub"), file("authorized_keys"));
  const port = freePort();
  const state = join(other.root, "state");
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
  const sshd = new Deno.Command("/usr/sbin/sshd", {
    args: ["-D", "-e", "-f", file("sshd_config")],
    stdout: "null",
    stderr: "piped",
  }).spawn();
  const sshdLog = new Response(sshd.stderr).text();
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
  // OpenCode on the "host", in the other world's HOME.
  const wrapper = file("opencode.sh");
  await Deno.writeTextFile(
    wrapper,
    `#!/bin/sh\n${
      Object.entries(other.env).map(([key, value]) => `export ${key}='${value}'`).join("\n")
    }\nexec '${npmOpencodeBinary()}' "$@"\n`,
  );
  await Deno.chmod(wrapper, 0o755);
  try {
    await waitFor(async () => {
      try {
        (await Deno.connect({ hostname: "127.0.0.1", port })).close();
        return true;
      } catch {
        return false;
      }
    }, { message: "sshd listening" });
    const palot = await startPalot(world, { env: { PALOT_SSH_CONFIG: file("ssh_config") } });
    try {
      const post = (form: Record<string, string>) =>
        palot.fetch("/settings/servers/ssh", {
          method: "POST",
          headers: { origin: palot.url, "content-type": "application/x-www-form-urlencoded" },
          body: new URLSearchParams(form).toString(),
          redirect: "manual",
        });
      const refused = async (form: Record<string, string>, words: RegExp) => {
        const response = await post(form);
        const html = await response.text();
        assert.equal(response.status, 422, html.slice(0, 300));
        const alert = html.match(/id="ssh-add-error"[^>]*>([^<]*)</)?.[1] ?? "";
        assert.match(alert, words);
      };
      await refused({ target: "strangebox", command: wrapper }, /Host key verification failed/);
      await refused({ target: "lockedbox", command: wrapper }, /Permission denied \(.*password/);
      await refused({ target: "-oProxyCommand=x" }, /is not an SSH host/);

      const added = await post({ target: "testbox", command: wrapper, name: "Box over SSH" });
      assert.equal(added.status, 303, await added.text());
      const serveFile = join(state, "palot-remote", "serve.env");
      const serve = Object.fromEntries(
        (await Deno.readTextFile(serveFile)).trim().split("\n").map((line) => line.split("=", 2)),
      );
      assert.equal((await Deno.stat(serveFile)).mode! & 0o777, 0o600);
      assert.ok(Number(serve.pid) > 0);
      // A chat through Palot's proxy and the forward.
      llm.enqueue({ text: "Hello over SSH" });
      const api = (path: string, init: RequestInit = {}) =>
        palot.fetch(`/api/servers/box-over-ssh/opencode${path}`, {
          ...init,
          headers: { origin: palot.url, "content-type": "application/json" },
        });
      const query = `directory=${encodeURIComponent(far)}`;
      const session = await (await api(`/session?${query}`, { method: "POST", body: "{}" }))
        .json();
      const sent = await api(`/session/${session.id}/prompt_async?${query}`, {
        method: "POST",
        body: JSON.stringify({ parts: [{ type: "text", text: "hi" }] }),
      });
      assert.equal(sent.status, 204);
      await waitFor(
        async () =>
          JSON.stringify(await (await api(`/session/${session.id}/message?${query}`)).json())
            .includes("Hello over SSH"),
        { timeoutMs: 60_000, message: "the reply over SSH" },
      );
      const home = await waitFor(async () => {
        const text = await (await palot.fetch("/")).text();
        return text.includes("ssh-far") && text.includes("Box over SSH") ? text : undefined;
      }, { timeoutMs: 60_000, message: "the SSH host's project listed" });
      assert.ok(!home.includes(serve.password), "its password stays on Palot's side");

      await palot.stop("SIGTERM");
      // What Palot started on the host is stopped with it.
      await waitFor(() => {
        try {
          Deno.kill(Number(serve.pid), "SIGCONT");
          return false;
        } catch {
          return true;
        }
      }, { timeoutMs: 20_000, message: "the host's opencode stopped" });
    } finally {
      await palot.stop().catch(() => {});
    }
  } finally {
    try {
      sshd.kill();
    } catch { /* ended */ }
    await sshd.status;
    await sshdLog;
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
});
