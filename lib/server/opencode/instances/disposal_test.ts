import assert from "node:assert/strict";
import type { LiveSession } from "../../events/status_index.ts";
import { chooseDisposals, instancePins } from "./disposal.ts";

const session = (directory: string, status: string, waiting = false) =>
  ({
    directory,
    status,
    permissions: waiting ? [{}] : [],
    questions: [],
  }) as unknown as LiveSession;

Deno.test("a working or waiting session, an unanswered request and a tab pin, each said", () => {
  const pins = instancePins({
    sessions: {
      s1: session("/busy/", "busy"),
      s2: session("/asks", "idle", true),
      s3: session("/idle", "idle"),
    },
    requests: ["/busy", "/request"],
    tabs: ["/request", "/tab"],
  });
  assert.deepEqual(Object.fromEntries(pins), {
    "/busy": ["session", "request"],
    "/asks": ["session"],
    "/request": ["request", "tab"],
    "/tab": ["tab"],
  });
});

Deno.test("idle ones go, then the least recently used above the cap, never a pinned or recent one", () => {
  const now = 1_000_000;
  const live = new Map([
    ["/old", now - 700_000],
    ["/pinned", now - 700_000],
    ["/a", now - 60_000],
    ["/b", now - 30_000],
    ["/recent", now - 1_000],
  ]);
  const pins = new Map([["/pinned", ["tab"]]]);
  const limits = { idleMs: 600_000, maxInstances: 2, graceMs: 5_000 };
  // 5 live, cap 2: "/old" is idle; "/a" and "/b" go for the cap; "/recent" is within its grace.
  assert.deepEqual(chooseDisposals(live, pins, limits, now), ["/old", "/a", "/b"]);
  assert.deepEqual(chooseDisposals(live, pins, { ...limits, maxInstances: 4 }, now), ["/old"]);
  assert.deepEqual(chooseDisposals(live, pins, { ...limits, idleMs: 0, maxInstances: 0 }, now), []);
});
