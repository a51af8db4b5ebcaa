import assert from "node:assert/strict";
import { AccessToken } from "./access_token.ts";

Deno.test("AccessToken rotates, ends the old token's signal, and keeps the new one across starts", async () => {
  const stateDir = await Deno.makeTempDir();
  try {
    const rotations: string[] = [];
    const token = await AccessToken.open("s3cret", {
      stateDir,
      onRotate: (value) => rotations.push(value),
    });
    assert.equal(token.current, "s3cret");
    assert.equal(token.rotated, false);
    const signal = token.signal;
    const next = await token.rotate();
    assert.ok(signal.aborted, "streams opened with the old token end");
    assert.ok(!token.signal.aborted);
    assert.match(next, /^[A-Za-z0-9_-]{32}$/);
    assert.equal(token.current, next);
    assert.deepEqual(rotations, [next]);
    const file = await Deno.stat(`${stateDir}/token.json`);
    assert.equal(file.mode! & 0o777, 0o600);
    assert.ok(!(await Deno.readTextFile(`${stateDir}/token.json`)).includes("s3cret"));

    const restarted = await AccessToken.open("s3cret", { stateDir });
    assert.equal(restarted.current, next, "the same --token stays signed out after a restart");
    assert.equal(restarted.rotated, true);
    const other = await AccessToken.open("another", { stateDir });
    assert.equal(other.current, "another", "a different --token wins");
  } finally {
    await Deno.remove(stateDir, { recursive: true });
  }
});
