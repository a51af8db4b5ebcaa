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

Deno.test("AccessToken sessions: random values, kept across starts by digest, all ended by a rotation", async () => {
  const stateDir = await Deno.makeTempDir();
  try {
    const token = await AccessToken.open("s3cret-token-0123456789", { stateDir });
    assert.equal(await token.matches("s3cret-token-0123456789"), true);
    assert.equal(await token.matches("s3cret-token-012345678"), false);
    const session = await token.startSession();
    assert.match(session, /^[A-Za-z0-9_-]{43}$/);
    assert.notEqual(await token.startSession(), session, "each sign-in its own value");
    assert.equal(await token.hasSession(session), true);
    assert.equal(await token.hasSession("s3cret-token-0123456789"), false);
    assert.equal(await token.hasSession(""), false);
    const stored = await Deno.readTextFile(`${stateDir}/sessions.json`);
    assert.ok(!stored.includes(session), "only digests are stored");
    assert.ok(!stored.includes("s3cret"));
    assert.equal((await Deno.stat(`${stateDir}/sessions.json`)).mode! & 0o777, 0o600);

    const restarted = await AccessToken.open("s3cret-token-0123456789", { stateDir });
    assert.equal(await restarted.hasSession(session), true, "a restart keeps browsers signed in");
    await restarted.rotate();
    assert.equal(await restarted.hasSession(session), false, "a rotation signs every browser out");
    const again = await AccessToken.open("s3cret-token-0123456789", { stateDir });
    assert.equal(await again.hasSession(session), false);
  } finally {
    await Deno.remove(stateDir, { recursive: true });
  }
});
