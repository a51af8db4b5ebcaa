import assert from "node:assert/strict";
import { signal } from "@preact/signals";
import type { Message } from "@opencode-ai/sdk/v2/client";
import type { MessageEntry } from "../live/store.ts";
import { providerRefusal } from "./provider_refusal.tsx";

const entry = (info: Record<string, unknown>): MessageEntry => ({
  id: String(info.id),
  info: signal(info as unknown as Message),
  parts: signal([]),
});

Deno.test("providerRefusal names the provider that turned the key down, and nothing else", () => {
  const user = entry({ id: "msg_1", role: "user" });
  const failed = (error: unknown) =>
    entry({ id: "msg_2", role: "assistant", providerID: "llama", error });
  assert.deepEqual(
    providerRefusal([
      user,
      failed({ name: "APIError", data: { message: "Bad key", statusCode: 401 } }),
    ]),
    { providerID: "llama", message: "Bad key", kind: "refused" },
  );
  assert.deepEqual(
    providerRefusal([
      user,
      failed({ name: "ProviderAuthError", data: { providerID: "openai", message: "No key" } }),
    ]),
    { providerID: "openai", message: "No key", kind: "refused" },
  );
  // OpenCode retries a 401: the retry's words count while the turn is retried.
  assert.deepEqual(providerRefusal([user, failed(undefined)], "Incorrect API key provided"), {
    providerID: "llama",
    message: "Incorrect API key provided",
    kind: "refused",
  });
  // A provider that cannot be reached, as OpenCode retries it.
  const cannotConnect = "Cannot connect to API: Was there a typo in the url or port?";
  assert.deepEqual(providerRefusal([user, failed(undefined)], cannotConnect), {
    providerID: "llama",
    message: cannotConnect,
    kind: "unreachable",
  });
  assert.equal(providerRefusal([user, failed(undefined)], "Rate limited, try later"), undefined);
  assert.equal(
    providerRefusal([
      user,
      failed({ name: "APIError", data: { message: "Overloaded", statusCode: 529 } }),
    ]),
    undefined,
  );
  assert.equal(providerRefusal([user, failed({ name: "MessageAbortedError" })]), undefined);
  assert.equal(providerRefusal([user]), undefined);
});
