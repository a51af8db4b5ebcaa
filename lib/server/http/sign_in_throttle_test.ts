import assert from "node:assert/strict";
import { SignInThrottle } from "./sign_in_throttle.ts";

Deno.test("SignInThrottle: the limit within the window, then a wait until the oldest failure leaves", () => {
  let now = 0;
  const throttle = new SignInThrottle({ limit: 3, windowMs: 10_000, now: () => now });
  for (let i = 0; i < 3; i++) {
    assert.equal(throttle.retryAfter("a"), 0);
    throttle.fail("a");
    now += 1_000;
  }
  assert.equal(throttle.retryAfter("a"), 7, "the first failure leaves the window at 10 s");
  assert.equal(throttle.retryAfter("b"), 0, "clients are counted apart");
  now = 10_001;
  assert.equal(throttle.retryAfter("a"), 0, "one failure left the window");
});

Deno.test("SignInThrottle remembers at most maxClients clients", () => {
  const throttle = new SignInThrottle({ limit: 1, maxClients: 100 });
  throttle.fail("first");
  for (let i = 0; i < 10_000; i++) throttle.fail(`client-${i}`);
  assert.equal(throttle.retryAfter("client-9999"), 60);
  assert.equal(throttle.retryAfter("first"), 0, "the longest quiet client was forgotten");
});
