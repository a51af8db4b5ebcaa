import assert from "node:assert/strict";
import { ConfigError, parseConfig } from "./config.ts";

const env = (values: Record<string, string>) => (name: string) => values[name];

Deno.test("parseConfig merges defaults with flags and environment", () => {
  const config = parseConfig([], env({ HOME: "/home/u" }));
  assert.notEqual(config, "help");
  assert.deepEqual(config, {
    hostname: "127.0.0.1",
    port: 3100,
    opencodePort: 4101,
    opencodeBin: undefined,
    dataDir: "/home/u/.local/share/opencode",
    stateDir: "/home/u/.local/state/palot",
    token: undefined,
    keepOpencode: false,
    instanceIdleMs: 600_000,
    maxInstances: 8,
    allowedHosts: [],
  });
  const custom = parseConfig(
    ["--port", "3200", "--opencode-port", "0", "--data-dir", "/d", "--keep-opencode"],
    env({ HOME: "/h", XDG_STATE_HOME: "/s" }),
  );
  assert.ok(custom !== "help");
  assert.equal(custom.port, 3200);
  assert.equal(custom.opencodePort, 0);
  assert.equal(custom.dataDir, "/d");
  assert.equal(custom.stateDir, "/s/palot");
  assert.equal(custom.keepOpencode, true);
});

Deno.test("parseConfig follows XDG_DATA_HOME and OPENCODE_DB for the data dir", () => {
  const xdg = parseConfig([], env({ HOME: "/h", XDG_DATA_HOME: "/x" }));
  assert.ok(xdg !== "help");
  assert.equal(xdg.dataDir, "/x/opencode");
  const db = parseConfig([], env({ HOME: "/h", OPENCODE_DB: "/custom/place/opencode.db" }));
  assert.ok(db !== "help");
  assert.equal(db.dataDir, "/custom/place");
});

Deno.test("parseConfig rejects bad values with one clear line", () => {
  for (
    const [args, pattern] of [
      [["--port", "abc"], /Invalid --port "abc"/],
      [["--port", "70000"], /Invalid --port "70000"/],
      [["--opencode-port", "-1"], /opencode-port/],
      [["--nope"], /Unknown option '--nope'/],
      [["--hostname", "0.0.0.0"], /pass --token/],
      [["--allowed-host", "devbox.lan"], /--allowed-host "devbox.lan" .*pass --token/],
      [
        ["--token", "t-0123456789abcdef", "--allowed-host", "http://x/"],
        /Invalid --allowed-host "http:\/\/x\/"/,
      ],
      [
        ["--token", "s3cret"],
        /The token is 6 characters: use at least 16, for example --token \S{32}$/,
      ],
    ] as const
  ) {
    assert.throws(() => parseConfig([...args], env({ HOME: "/h" })), (error: Error) => {
      assert.ok(error instanceof ConfigError);
      assert.match(error.message, pattern);
      assert.ok(!error.message.includes("\n"));
      return true;
    });
  }
});

Deno.test("parseConfig accepts a remote address with a token from flag or environment", () => {
  const flag = parseConfig(
    ["--hostname", "0.0.0.0", "--token", "t1-0123456789abcdef"],
    env({ HOME: "/h" }),
  );
  assert.ok(flag !== "help");
  assert.equal(flag.token, "t1-0123456789abcdef");
  const fromEnv = parseConfig(
    ["--hostname", "0.0.0.0"],
    env({ HOME: "/h", PALOT_TOKEN: "t2-0123456789abcdef" }),
  );
  assert.ok(fromEnv !== "help");
  assert.equal(fromEnv.token, "t2-0123456789abcdef");
  assert.equal(parseConfig(["--help"], env({})), "help");
});

Deno.test("parseConfig reads --instance-idle in minutes and --max-instances, 0 turning each off", () => {
  const custom = parseConfig(
    ["--instance-idle", "0.5", "--max-instances", "0"],
    env({ HOME: "/h" }),
  );
  assert.ok(custom !== "help");
  assert.equal(custom.instanceIdleMs, 30_000);
  assert.equal(custom.maxInstances, 0);
  for (
    const [args, pattern] of [
      [["--instance-idle", "ten"], /Invalid --instance-idle "ten": expected a number of minutes/],
      [["--max-instances", "2.5"], /Invalid --max-instances "2.5": expected a whole number/],
      [["--max-instances=-1"], /Invalid --max-instances "-1"/],
    ] as const
  ) {
    assert.throws(() => parseConfig([...args], env({ HOME: "/h" })), pattern);
  }
});

Deno.test("parseConfig takes one positional folder, as typed", () => {
  const config = parseConfig(["--port", "3200", "~/code/thing"], env({ HOME: "/h" }));
  assert.ok(config !== "help");
  assert.equal(config.folder, "~/code/thing");
  assert.equal(config.port, 3200);
  const none = parseConfig([], env({ HOME: "/h" }));
  assert.ok(none !== "help" && none.folder === undefined);
  assert.throws(() => parseConfig(["/a", "/b"], env({ HOME: "/h" })), /at most one folder, got 2/);
});

Deno.test("parseConfig takes --allowed-host repeatedly, in lower case", () => {
  const config = parseConfig(
    [
      "--token",
      "t-0123456789abcdef",
      "--allowed-host",
      "DevBox.lan",
      "--allowed-host",
      "palot.example:8443",
    ],
    env({ HOME: "/h" }),
  );
  assert.ok(config !== "help");
  assert.deepEqual(config.allowedHosts, ["devbox.lan", "palot.example:8443"]);
});
