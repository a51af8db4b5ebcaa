import assert from "node:assert/strict";
import { join } from "node:path";
import { freePort, OpencodeWorld, waitFor } from "../testing/world.ts";
import { npmOpencodeBinary } from "../lib/server/opencode/supervisor/binary.ts";
import { readState } from "../lib/server/opencode/supervisor/state_file.ts";
import {
  isAlive,
  OpencodeSupervisor,
  type SupervisorOptions,
} from "../lib/server/opencode/supervisor/supervisor.ts";

/** A supervisor over the pinned binary inside `world`, with quick health checks for tests. */
function supervise(world: OpencodeWorld, options: Partial<SupervisorOptions> = {}) {
  const logs: string[] = [];
  const supervisor = new OpencodeSupervisor({
    binary: { path: npmOpencodeBinary(), source: "npm package" },
    port: freePort(),
    stateDir: join(world.env.XDG_STATE_HOME, "palot"),
    env: world.env,
    log: (line) => logs.push(line),
    healthIntervalMs: 300,
    healthTimeoutMs: 1000,
    killGraceMs: 2000,
    ...options,
  });
  return { supervisor, logs };
}

Deno.test("supervisor starts opencode behind a password and reports ready", async () => {
  await using world = await OpencodeWorld.create();
  const { supervisor, logs } = supervise(world);
  try {
    assert.equal(supervisor.snapshot().status, "starting");
    assert.equal(supervisor.endpoint(), undefined);
    supervisor.start();
    const endpoint = await supervisor.ready();
    const snapshot = supervisor.snapshot();
    assert.equal(snapshot.status, "ready");
    assert.equal(snapshot.version, "1.18.33");
    assert.equal(snapshot.restarts, 0);
    assert.ok(snapshot.pid && isAlive(snapshot.pid));
    assert.ok(logs.some((line) => line.includes("from npm package")), "the log names the binary");

    const withPassword = await fetch(`${endpoint.url}/global/health`, {
      headers: { authorization: endpoint.authorization },
    });
    assert.equal(withPassword.status, 200);
    await withPassword.body?.cancel();
    const withoutPassword = await fetch(`${endpoint.url}/global/health`);
    assert.equal(withoutPassword.status, 401);
    await withoutPassword.body?.cancel();

    const state = await readState(join(world.env.XDG_STATE_HOME, "palot"));
    assert.equal(state?.pid, snapshot.pid);
    const mode = (await Deno.stat(join(world.env.XDG_STATE_HOME, "palot", "opencode.json"))).mode;
    assert.equal(mode! & 0o777, 0o600);
    assert.ok(!JSON.stringify(snapshot).includes(state!.password));
  } finally {
    await supervisor.stop();
  }
  assert.equal(await readState(join(world.env.XDG_STATE_HOME, "palot")), undefined);
});

Deno.test("supervisor adopts the server it left running and never a foreign one", async () => {
  await using world = await OpencodeWorld.create();
  const first = supervise(world);
  first.supervisor.start();
  await first.supervisor.ready();
  const pid = first.supervisor.snapshot().pid!;
  await first.supervisor.stop({ keep: true });
  assert.ok(isAlive(pid), "kept running for the next start");

  const second = supervise(world);
  try {
    second.supervisor.start();
    await second.supervisor.ready();
    assert.equal(second.supervisor.snapshot().pid, pid);
    assert.ok(second.logs.some((line) => line.startsWith("Adopted opencode")));
  } finally {
    await second.supervisor.stop();
  }
  await waitFor(() => !isAlive(pid), { message: "the adopted server to stop" });

  // A state file naming a live process that does not know the password is not adopted, and
  // that process is left alone.
  await using foreign = await world.startOpencode();
  const stateDir = join(world.env.XDG_STATE_HOME, "palot");
  await Deno.mkdir(stateDir, { recursive: true });
  await Deno.writeTextFile(
    join(stateDir, "opencode.json"),
    JSON.stringify({
      pid: foreign.pid,
      port: Number(new URL(foreign.url).port),
      password: "guess",
    }),
  );
  const third = supervise(world);
  try {
    third.supervisor.start();
    await third.supervisor.ready();
    assert.notEqual(third.supervisor.snapshot().pid, foreign.pid);
  } finally {
    await third.supervisor.stop();
  }
  assert.ok(isAlive(foreign.pid), "a process Palot did not start is never killed");
});

Deno.test("a stop during start-up or adoption stops opencode, and leaves no timer behind", async () => {
  await using world = await OpencodeWorld.create();
  // Stopped while spawning: the server it was starting must not outlive Palot.
  const spawning = supervise(world);
  let stopped: Promise<void> | undefined;
  spawning.supervisor.subscribe((snapshot) => {
    if (snapshot.status === "starting") stopped ??= spawning.supervisor.stop();
  });
  spawning.supervisor.start();
  await waitFor(() => stopped !== undefined, { message: "the stop during start-up" });
  await stopped;
  const spawnedPid = spawning.supervisor.snapshot().pid;
  assert.ok(spawnedPid, "a server was being started when the stop came");
  assert.ok(!isAlive(spawnedPid), "the server being started was stopped");
  assert.notEqual(spawning.supervisor.snapshot().status, "ready");

  // Kept, adopted and kept again, then stopped while a new supervisor adopts it.
  const first = supervise(world);
  first.supervisor.start();
  await first.supervisor.ready();
  const pid = first.supervisor.snapshot().pid!;
  await first.supervisor.stop({ keep: true });
  const keeper = supervise(world);
  keeper.supervisor.start();
  await keeper.supervisor.ready();
  assert.equal(keeper.supervisor.snapshot().pid, pid);
  await keeper.supervisor.stop({ keep: true });
  assert.ok(isAlive(pid), "kept");
  const adopting = supervise(world);
  adopting.supervisor.start();
  await adopting.supervisor.stop();
  assert.ok(!isAlive(pid), "the server being adopted was stopped");
  assert.ok(adopting.logs.some((line) => line.startsWith("Adopted opencode")));
  assert.equal(await readState(join(world.env.XDG_STATE_HOME, "palot")), undefined);
});

Deno.test("supervisor never adopts or signals a pid that is not the opencode it started", async () => {
  await using world = await OpencodeWorld.create();
  await using opencode = await world.startOpencode();
  // The state file's pid now belongs to another program (as after the OS reused it), while its
  // port and password still reach a healthy opencode.
  const other = new Deno.Command("sleep", { args: ["300"] }).spawn();
  try {
    const stateDir = join(world.env.XDG_STATE_HOME, "palot");
    await Deno.mkdir(stateDir, { recursive: true });
    await Deno.writeTextFile(
      join(stateDir, "opencode.json"),
      JSON.stringify({
        pid: other.pid,
        port: Number(new URL(opencode.url).port),
        password: opencode.password,
        binary: npmOpencodeBinary(),
        startedAt: Date.now(),
      }),
    );
    const { supervisor, logs } = supervise(world);
    try {
      supervisor.start();
      await supervisor.ready();
      assert.notEqual(supervisor.snapshot().pid, other.pid);
      assert.ok(logs.some((line) => line.includes(`Not adopting pid ${other.pid}`)));
    } finally {
      await supervisor.stop();
    }
    assert.ok(isAlive(other.pid), "the other program was never signalled");
  } finally {
    try {
      other.kill("SIGKILL");
    } catch { /* already gone: the failure above says why */ }
    await other.status;
  }
});

Deno.test("supervisor restarts opencode after SIGKILL and after it stops answering", async () => {
  await using world = await OpencodeWorld.create();
  const { supervisor, logs } = supervise(world, { backoffInitialMs: 100 });
  const statuses: string[] = [];
  supervisor.subscribe((snapshot) => statuses.push(snapshot.status));
  try {
    supervisor.start();
    await supervisor.ready();
    const firstPid = supervisor.snapshot().pid!;
    Deno.kill(firstPid, "SIGKILL");
    await waitFor(
      () => supervisor.snapshot().status === "ready" && supervisor.snapshot().pid !== firstPid,
      { timeoutMs: 60_000, message: "a restarted server" },
    );
    assert.equal(supervisor.snapshot().restarts, 1);
    assert.ok(statuses.includes("restarting"));
    assert.match(supervisor.snapshot().lastError ?? "", /exited/);

    // A frozen process accepts connections but never answers: it is replaced too.
    const secondPid = supervisor.snapshot().pid!;
    Deno.kill(secondPid, "SIGSTOP");
    await waitFor(
      () => supervisor.snapshot().status === "ready" && supervisor.snapshot().pid !== secondPid,
      { timeoutMs: 60_000, message: "a server replacing the frozen one" },
    );
    assert.equal(supervisor.snapshot().restarts, 2);
    assert.ok(logs.some((line) => line.includes("stopped answering health checks")));
    assert.ok(!isAlive(secondPid), "the frozen server was killed");
  } finally {
    await supervisor.stop();
  }
});

Deno.test("supervisor takes a free port when the preferred one is held", async () => {
  await using world = await OpencodeWorld.create();
  using held = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const heldPort = (held.addr as Deno.NetAddr).port;
  const { supervisor, logs } = supervise(world, { port: heldPort });
  try {
    supervisor.start();
    const endpoint = await supervisor.ready();
    assert.notEqual(new URL(endpoint.url).port, String(heldPort));
    assert.ok(logs.some((line) => line.includes(`Port ${heldPort} is held by another program`)));
  } finally {
    await supervisor.stop();
  }
});

Deno.test("supervisor reports a binary that cannot start, and keeps trying", async () => {
  await using world = await OpencodeWorld.create();
  const script = join(world.root, "broken-opencode");
  await Deno.writeTextFile(
    script,
    "#!/bin/sh\necho 'cannot start: broken on purpose' >&2\nexit 3\n",
  );
  await Deno.chmod(script, 0o755);
  const { supervisor } = supervise(world, {
    binary: { path: script, source: "--opencode-bin" },
    backoffInitialMs: 50,
    backoffMaxMs: 100,
  });
  try {
    supervisor.start();
    await waitFor(() => supervisor.snapshot().status === "failed", {
      message: "the failed status",
    });
    assert.match(supervisor.snapshot().lastError ?? "", /broken on purpose/);
    assert.ok(supervisor.snapshot().restarts >= 5);
  } finally {
    await supervisor.stop();
  }
});
