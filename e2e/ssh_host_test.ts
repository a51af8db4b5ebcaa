/**
 * `Add SSH host` in Settings → Servers, in a real browser, against a real `sshd` on 127.0.0.1
 * (testing/test_sshd.ts; Palot reads its `ssh_config`): a host whose key is not known is refused
 * with `ssh`'s message beside the form, what was typed kept; a good host is added (Palot starts
 * `opencode serve` there) and its project is listed on the home page under its name, `Online`;
 * removed, the `opencode serve` Palot started there is stopped (also while it boots an instance,
 * when OpenCode is slow to end on SIGTERM).
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { OpencodeWorld, waitFor } from "../testing/world.ts";
import { startTestSshd } from "../testing/test_sshd.ts";
import { assertAccessible } from "./axe.ts";
import { browserTest, sharedApp } from "./harness.ts";

/** The sshd's folder, known before the stack starts (Palot reads its config from the start). */
const sshDir = Deno.makeTempDirSync({ prefix: "palot-sshd-" });
const stack = sharedApp({ palot: { env: { PALOT_SSH_CONFIG: join(sshDir, "ssh_config") } } });

browserTest(
  "Add SSH host: an unknown host key refused with ssh's words; a host added",
  async () => {
    await using app = await stack.use();
    await using other = await OpencodeWorld.create({ llm: app.llm });
    const far = await other.makeProject("over-ssh");
    await using sshd = await startTestSshd(other, sshDir);
    const serveFile = join(sshd.state, "palot-remote", "serve.env");
    let hostPid: number | undefined;
    try {
      const page = await app.newPage();
      await page.goto(`${app.palot.url}/settings`);
      const servers = page.getByRole("region", { name: "Servers" });
      await servers.getByLabel("SSH host", { exact: true }).fill("strangebox");
      await servers.getByLabel("OpenCode command").fill(sshd.opencode);
      await servers.getByRole("button", { name: "Add SSH host" }).click();
      await page.getByRole("alert").filter({ hasText: "Host key verification failed" })
        .waitFor({ timeout: 30_000 });
      assert.equal(
        await servers.getByLabel("SSH host", { exact: true }).inputValue(),
        "strangebox",
      );
      assert.equal(await servers.getByLabel("OpenCode command").inputValue(), sshd.opencode);

      await servers.getByLabel("SSH host", { exact: true }).fill("testbox");
      await servers.getByLabel("Name of the host").fill("Box over SSH");
      await servers.getByRole("button", { name: "Add SSH host" }).click();
      await page.getByRole("status").filter({ hasText: "Added Box over SSH." })
        .waitFor({ timeout: 90_000 });
      await assertAccessible(page, "Settings with an SSH host");
      const serve = await Deno.readTextFile(serveFile);
      hostPid = Number(/pid=(\d+)/.exec(serve)![1]);
      assert.ok(!(await page.content()).includes(/password=(\w+)/.exec(serve)![1]));

      // A session there (through Palot's proxy and the forward) makes its folder a project.
      const created = await app.palot.fetch(
        `/api/servers/box-over-ssh/opencode/session?directory=${encodeURIComponent(far)}`,
        { method: "POST", headers: { "content-type": "application/json" }, body: "{}" },
      );
      assert.equal(created.status, 200, await created.text());
      await page.goto(app.palot.url);
      const box = page.getByRole("region", { name: /Box over SSH/ });
      await box.getByRole("link", { name: "over-ssh" }).waitFor({ timeout: 30_000 });
      await box.getByRole("status").filter({ hasText: "Online" }).waitFor({ timeout: 30_000 });

      // Removed: Palot stops what it started on the host.
      await page.goto(`${app.palot.url}/settings`);
      await servers.getByRole("button", { name: "Remove Box over SSH" }).click();
      await page.getByRole("status").filter({ hasText: "Removed Box over SSH." })
        .waitFor({ timeout: 30_000 });
      // Palot ran its stop on the host: the record of the server it started there is gone.
      await waitFor(async () => !(await Deno.stat(serveFile).then(() => true, () => false)), {
        timeoutMs: 20_000,
        message: "serve.env removed on the host",
      });
      await waitFor(() => {
        try {
          Deno.kill(hostPid!, "SIGCONT");
          return false;
        } catch {
          return true;
        }
      }, { timeoutMs: 20_000, message: "the host's opencode stopped" });
    } finally {
      // Whatever happened, the host's opencode goes with the test (the sshd goes before Palot).
      if (hostPid) {
        try {
          Deno.kill(hostPid, "SIGKILL");
        } catch { /* ended */ }
      }
    }
  },
);

stack.stopAfterAll();
