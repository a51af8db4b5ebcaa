/**
 * Palot as a user runs it: a separate process started as the README says, the real opencode
 * behind it, real HTTP on loopback.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { isAlive } from "../lib/server/opencode/supervisor/supervisor.ts";
import { readState } from "../lib/server/opencode/supervisor/state_file.ts";
import { PROJECT_ROOT, startPalot } from "../testing/palot.ts";
import { readSse } from "../testing/sse.ts";
import { freePort, OpencodeWorld, waitFor } from "../testing/world.ts";

interface StatusBody {
  status: string;
  version: string | null;
  pid: number | null;
  restarts: number;
  lastError: string | null;
}

async function opencodeStatus(palot: { fetch(path: string): Promise<Response> }) {
  return await (await palot.fetch("/api/opencode")).json() as StatusBody;
}

async function waitReady(palot: { fetch(path: string): Promise<Response> }) {
  return await waitFor(async () => {
    const body = await opencodeStatus(palot);
    return body.status === "ready" ? body : undefined;
  }, { timeoutMs: 60_000, message: "opencode ready behind Palot" });
}

/** Pids of the opencode processes whose parent is `parentPid` (Linux). */
function opencodeChildren(parentPid: number): number[] {
  const pids: number[] = [];
  for (const entry of Deno.readDirSync("/proc")) {
    if (!/^\d+$/.test(entry.name)) continue;
    try {
      const stat = Deno.readTextFileSync(`/proc/${entry.name}/stat`);
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      const command = Deno.readTextFileSync(`/proc/${entry.name}/cmdline`);
      if (Number(fields[1]) === parentPid && command.includes("opencode") && fields[0] !== "Z") {
        pids.push(Number(entry.name));
      }
    } catch { /* process went away */ }
  }
  return pids;
}

Deno.test("deno task start serves at once, from any working directory", async () => {
  await using world = await OpencodeWorld.create();
  await using palot = await startPalot(world, { viaTask: true, cwd: world.root });
  assert.ok(palot.logs.some((line) => line === `Palot ready at ${palot.url}`));
  const home = await palot.fetch("/");
  assert.equal(home.status, 200);
  const html = await home.text();
  assert.match(html, /<title>[^<]*Palot<\/title>/);
  const css = await palot.fetch("/static/app.css");
  assert.equal(css.status, 200);
  await css.body?.cancel();
  const script = html.match(/<script type="module" src="([^"]+)"/)?.[1];
  assert.ok(script, "the page loads its island script");
  const boot = await palot.fetch(script);
  assert.equal(boot.status, 200);
  assert.match(boot.headers.get("content-type") ?? "", /javascript/);
  await boot.body?.cancel();
  await waitReady(palot);
  assert.equal(await Deno.stat(join(world.root, "static")).catch(() => null), null);
});

Deno.test("one opencode behind the proxy serves every directory, streams SSE, and hides its password", async () => {
  await using world = await OpencodeWorld.create();
  const alpha = await world.makeProject("alpha");
  const beta = await world.makeProject("beta");
  await using palot = await startPalot(world);
  const status = await waitReady(palot);
  assert.equal(status.version, "1.18.33");

  // The event stream passes through unbuffered: the first event arrives while it stays open.
  const events = await palot.fetch("/api/opencode/global/event");
  assert.equal(events.status, 200);
  assert.match(events.headers.get("content-type") ?? "", /text\/event-stream/);
  const reader = events.body!.pipeThrough(new TextDecoderStream()).getReader();
  let received = "";
  const readUntil = async (pattern: RegExp) => {
    while (!pattern.test(received)) {
      const { value, done } = await reader.read();
      if (done) throw new Error(`stream ended before ${pattern}`);
      received += value;
    }
  };
  await readUntil(/server\.connected/);

  const sessions: Record<string, string> = {};
  for (const [directory, how] of [[alpha, "query"], [beta, "header"]] as const) {
    const response = await palot.fetch(
      how === "query"
        ? `/api/opencode/session?directory=${encodeURIComponent(directory)}`
        : "/api/opencode/session",
      {
        method: "POST",
        headers: {
          "content-type": "application/json",
          origin: palot.url,
          ...(how === "header" ? { "x-opencode-directory": directory } : {}),
        },
        body: JSON.stringify({ title: `Session in ${directory}` }),
      },
    );
    assert.equal(response.status, 200);
    const session = await response.json();
    assert.equal(session.directory, directory);
    sessions[directory] = session.id;
  }
  await readUntil(new RegExp(sessions[beta]));
  assert.match(received, /session\.created/);
  await reader.cancel();

  const after = await opencodeStatus(palot);
  assert.equal(after.pid, status.pid, "the same server answered both directories");
  assert.deepEqual(opencodeChildren(palot.process.pid), [status.pid]);

  // OpenCode itself refuses requests without the password; Palot never reveals it.
  const state = await readState(join(world.env.XDG_STATE_HOME, "palot"));
  assert.ok(state);
  const direct = await fetch(`http://127.0.0.1:${state.port}/session`);
  assert.equal(direct.status, 401);
  await direct.body?.cancel();
  for (
    const path of ["/", "/api/opencode", "/api/opencode/config", "/api/opencode/global/health"]
  ) {
    const text = await (await palot.fetch(path)).text();
    assert.ok(!text.includes(state.password), `${path} does not reveal the password`);
  }
  const rejected = await palot.fetch("/api/opencode/session", {
    method: "POST",
    headers: { origin: "http://evil.example", "content-type": "application/json" },
    body: "{}",
  });
  assert.equal(rejected.status, 403);
  await rejected.body?.cancel();
});

Deno.test("SIGTERM stops opencode too; --keep-opencode leaves it to be adopted", async () => {
  await using world = await OpencodeWorld.create();
  const opencodePort = freePort();
  const kept = await startPalot(world, { args: ["--keep-opencode"], opencodePort });
  const { pid } = await waitReady(kept);
  // An open tab's event stream does not keep Palot from exiting.
  const events = readSse(await kept.fetch("/api/events"));
  await waitFor(() => events.messages.length > 0, { message: "the event stream" });
  assert.equal((await kept.stop("SIGTERM")).code, 0);
  await events.close();
  assert.ok(!kept.logs.some((line) => line.includes("did not exit")), kept.logs.join("\n"));
  assert.ok(pid && isAlive(pid), "opencode kept running");

  const adopting = await startPalot(world, { opencodePort });
  const adopted = await waitReady(adopting);
  assert.equal(adopted.pid, pid, "the restarted Palot adopted the same server");
  assert.ok(adopting.logs.some((line) => line.includes(`Adopted opencode 1.18.33 (pid ${pid})`)));
  const status = await adopting.stop("SIGTERM");
  assert.equal(status.code, 0);
  await waitFor(() => !isAlive(pid!), { timeoutMs: 10_000, message: "no orphan opencode" });
});

Deno.test("bad flags exit 2 with one clear line", async () => {
  for (
    const [args, pattern] of [
      [["--port", "abc"], /^palot: Invalid --port "abc"/],
      [
        ["--opencode-bin", "/nonexistent/opencode"],
        /^palot: Cannot run opencode at "\/nonexistent\/opencode"/,
      ],
      [["--hostname", "0.0.0.0"], /^palot: Binding to "0.0.0.0" .* pass --token/],
      [["--bogus"], /^palot: Unknown option '--bogus'/],
    ] as const
  ) {
    const output = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", join(PROJECT_ROOT, "main.ts"), ...args],
      stdout: "piped",
      stderr: "piped",
    }).output();
    const stderr = new TextDecoder().decode(output.stderr).trim();
    assert.equal(output.code, 2, `${args.join(" ")}: ${stderr}`);
    assert.match(stderr, pattern);
    assert.equal(stderr.split("\n").length, 1, `one line, no stack trace: ${stderr}`);
  }
  const help = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", join(PROJECT_ROOT, "main.ts"), "--help"],
    stdout: "piped",
  }).output();
  assert.equal(help.code, 0);
  const text = new TextDecoder().decode(help.stdout);
  for (
    const flag of [
      "--port",
      "--hostname",
      "--opencode-port",
      "--opencode-bin",
      "--data-dir",
      "--token",
    ]
  ) {
    assert.ok(text.includes(flag), `--help lists ${flag}`);
  }
});
