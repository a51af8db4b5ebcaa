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
import { type RunningPalot, startPalot } from "../testing/palot.ts";
import { OpencodeWorld, waitFor } from "../testing/world.ts";
import { startTestSshd } from "../testing/test_sshd.ts";

/** Settings' `Add SSH host` form, posted as the page would. */
function postSshHost(palot: RunningPalot, form: Record<string, string>): Promise<Response> {
  return palot.fetch("/settings/servers/ssh", {
    method: "POST",
    headers: { origin: palot.url, "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(form).toString(),
    redirect: "manual",
  });
}

/** Posts `form`, which must be refused beside the form with `words`; resolves with the page. */
async function sshRefusal(
  palot: RunningPalot,
  form: Record<string, string>,
  words: RegExp,
): Promise<string> {
  const response = await postSshHost(palot, form);
  const html = await response.text();
  assert.equal(response.status, 422, html.slice(0, 300));
  assert.match(html.match(/id="ssh-add-error"[^>]*>([^<]*)</)?.[1] ?? "", words);
  return html;
}

Deno.test("SSH host: refused with ssh's reason, or reached with opencode started and stopped there", async () => {
  await using llm = await FakeLlm.start();
  await using world = await OpencodeWorld.create();
  await using other = await OpencodeWorld.create({ llm });
  const far = await other.makeProject("ssh-far");
  await using sshd = await startTestSshd(other);
  const wrapper = sshd.opencode;
  const state = sshd.state;
  const palot = await startPalot(world, { env: { PALOT_SSH_CONFIG: sshd.config } });
  try {
    const post = (form: Record<string, string>) => postSshHost(palot, form);
    const refused = (form: Record<string, string>, words: RegExp) => sshRefusal(palot, form, words);
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
});

Deno.test("SSH host: the user's own opencode serve there is used, never started or stopped", async () => {
  await using llm = await FakeLlm.start();
  await using world = await OpencodeWorld.create();
  await using other = await OpencodeWorld.create({ llm });
  const far = await other.makeProject("ssh-own");
  await using sshd = await startTestSshd(other);
  // The server the user already runs on the host (its loopback), with its own password.
  await using own = await other.startOpencode();
  const ownPort = new URL(own.url).port;
  const palot = await startPalot(world, { env: { PALOT_SSH_CONFIG: sshd.config } });
  try {
    const post = (form: Record<string, string>) => postSshHost(palot, form);
    const refused = async (form: Record<string, string>, words: RegExp) => {
      const html = await sshRefusal(palot, form, words);
      assert.ok(!html.includes(own.password), "a password is never in a page");
    };
    await refused(
      { target: "testbox", servePort: ownPort, servePassword: "wrong" },
      /Wrong password for the opencode serve on testbox port \d+/,
    );
    await refused({ target: "testbox", servePassword: own.password }, /Give the port/);
    await refused({ target: "testbox", servePort: "http" }, /is not a port/);

    const added = await post({
      target: "testbox",
      servePort: ownPort,
      servePassword: own.password,
      name: "Own box",
    });
    assert.equal(added.status, 303, await added.text());
    // Palot started nothing there.
    assert.ok(
      !(await Deno.stat(join(sshd.state, "palot-remote")).then(() => true, () => false)),
      "no server of Palot's on the host",
    );
    const query = `directory=${encodeURIComponent(far)}`;
    const created = await palot.fetch(`/api/servers/own-box/opencode/session?${query}`, {
      method: "POST",
      headers: { origin: palot.url, "content-type": "application/json" },
      body: JSON.stringify({ title: "On my own server" }),
    });
    const body = await created.text();
    assert.equal(created.status, 200, body);
    const session = JSON.parse(body);
    // It is the user's server that holds it.
    assert.equal(
      (await (await own.fetch(`/session/${session.id}?${query}`)).json()).id,
      session.id,
    );
    await waitFor(async () => (await (await palot.fetch("/")).text()).includes("ssh-own"), {
      timeoutMs: 30_000,
      message: "its project on the home page",
    });

    // Palot stops; the user's server goes on.
    await palot.stop("SIGTERM");
    const health = await own.fetch("/global/health");
    assert.equal(health.status, 200, await health.text());
  } finally {
    await palot.stop().catch(() => {});
  }
});
