import assert from "node:assert/strict";
import { InstanceKeeper } from "../../lib/server/opencode/instances/keeper.ts";
import { appOver } from "../../testing/app_over.ts";

Deno.test("POST /api/presence pins what a tab shows and refuses malformed reports", async () => {
  const dataDir = await Deno.makeTempDir();
  const instances = new InstanceKeeper({ source: { endpoint: () => undefined }, log: () => {} });
  using palot = appOver(dataDir, { instances });
  const post = (body: string, headers: Record<string, string> = {}) =>
    palot.app.fetch(
      new Request("http://127.0.0.1:3100/api/presence", {
        method: "POST",
        body,
        headers: { host: "127.0.0.1:3100", ...headers },
      }),
    );
  instances.use("/home/me/app")();
  instances.use("/home/me/other")();
  const shown = await post(JSON.stringify({ tab: "t1", directories: ["/home/me/app/"] }));
  assert.equal(shown.status, 204);
  assert.deepEqual(instances.report().map(({ directory, pinnedBy }) => [directory, pinnedBy]), [
    ["/home/me/app", ["tab"]],
    ["/home/me/other", []],
  ]);
  // The tab closes (sendBeacon posts text/plain).
  const closed = await post(JSON.stringify({ tab: "t1", directories: [] }), {
    "content-type": "text/plain;charset=UTF-8",
  });
  assert.equal(closed.status, 204);
  assert.deepEqual(instances.report()[1].pinnedBy, []);

  for (
    const [body, message] of [
      ["not json", "Expected a JSON body"],
      [JSON.stringify({ directories: [] }), 'Expected "tab": a string of 1 to 100 characters'],
      [
        JSON.stringify({ tab: "t", directories: "/a" }),
        'Expected "directories": a list of at most 20 paths',
      ],
      [
        JSON.stringify({ tab: "t", directories: Array(21).fill("/a") }),
        'Expected "directories": a list of at most 20 paths',
      ],
    ]
  ) {
    const response = await post(body);
    assert.equal(response.status, 400);
    assert.deepEqual(await response.json(), { error: message });
  }
  const foreign = await post(JSON.stringify({ tab: "t", directories: [] }), {
    origin: "http://evil.example",
  });
  assert.equal(foreign.status, 403);
  await foreign.body?.cancel();
  await Deno.remove(dataDir, { recursive: true });
});
