/** The instance keeper when OpenCode refuses a dispose, or restarts during one (a stand-in server). */

import assert from "node:assert/strict";
import { freePort } from "../../../../testing/world.ts";
import { basicAuthorization } from "../endpoint.ts";
import { InstanceKeeper } from "./keeper.ts";
import { switchableSource } from "../../../../testing/switchable_source.ts";
import { TestClock } from "../../../../testing/test_clock.ts";

Deno.test("a failed dispose and a restart during one each log a line and leave no stale state", async () => {
  let answer: "fail" | "hang" = "fail";
  const hanging = Promise.withResolvers<void>();
  const port = freePort();
  await using _server = Deno.serve(
    {
      hostname: "127.0.0.1",
      port,
      onListen: () => {},
      onError: () => new Response(null, { status: 500 }),
    },
    async () => {
      if (answer === "fail") return new Response("boom", { status: 500 });
      await hanging.promise;
      return new Response("true");
    },
  );
  const endpoint = { url: `http://127.0.0.1:${port}`, authorization: basicAuthorization("x") };
  const source = switchableSource(endpoint);
  const logs: string[] = [];
  const clock = new TestClock();
  const keeper = new InstanceKeeper({
    source,
    idleMs: 1_000,
    sweepIntervalMs: 60_000,
    disposeTimeoutMs: 5_000,
    log: (line) => logs.push(line),
    now: clock.now,
  });
  keeper.start();
  try {
    keeper.use("/projects/gone")(); // asked, and answered
    clock.skip(1_100);
    await keeper.sweep();
    assert.deepEqual(logs, [
      'Cannot dispose the OpenCode instance of "/projects/gone": OpenCode refused: status 500; trying again once it has been idle 1 s more',
    ]);
    assert.deepEqual(keeper.directories(), ["/projects/gone"], "still live, counted as used now");
    await keeper.sweep();
    assert.equal(logs.length, 1, "no second attempt before it is idle again");

    answer = "hang";
    clock.skip(1_100);
    const sweeping = keeper.sweep();
    await new Promise((resolve) => setTimeout(resolve, 100));
    source.switchTo({ ...endpoint, url: `http://127.0.0.1:${freePort()}` }); // a new server
    hanging.reject(new Error("restarted"));
    await sweeping;
    assert.equal(
      logs.at(-1),
      'OpenCode restarted while disposing "/projects/gone"; nothing to dispose now',
    );
    assert.deepEqual(keeper.directories(), []);
  } finally {
    await keeper.stop();
  }
});
