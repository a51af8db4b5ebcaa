import assert from "node:assert/strict";
import { opencodeApi, OpencodeApiError } from "./opencode_api.ts";
import { basicAuthorization } from "./endpoint.ts";

/** A loopback server posing as OpenCode, answering with `answer`. */
function fakeOpencode(answer: (request: Request) => Response | Promise<Response>) {
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, answer);
  const endpoint = {
    url: `http://127.0.0.1:${server.addr.port}`,
    authorization: basicAuthorization("secret"),
  };
  return { server, source: { endpoint: () => endpoint } };
}

Deno.test("opencodeApi sends the password and the folder, and words a refusal", async () => {
  const seen: { authorization: string | null; url: string }[] = [];
  const { server, source } = fakeOpencode((request) => {
    seen.push({ authorization: request.headers.get("authorization"), url: request.url });
    return Response.json({ data: { message: "No such provider" } }, { status: 400 });
  });
  try {
    await assert.rejects(
      opencodeApi(source, "/auth/x", { method: "PUT", directory: "/tmp/a b", body: {} }),
      (error) =>
        error instanceof OpencodeApiError && error.status === 400 &&
        error.message === "OpenCode refused: No such provider",
    );
    assert.equal(seen[0].authorization, basicAuthorization("secret"));
    assert.equal(new URL(seen[0].url).searchParams.get("directory"), "/tmp/a b");
  } finally {
    await server.shutdown();
  }
});

Deno.test("opencodeApi gives a request up when its signal aborts, long before its timeout", async () => {
  const never = Promise.withResolvers<void>();
  const { server, source } = fakeOpencode(async () => {
    await never.promise;
    return Response.json({});
  });
  try {
    const abort = new AbortController();
    const started = performance.now();
    const request = opencodeApi(source, "/session/status", {
      signal: abort.signal,
      timeoutMs: 8_000,
    });
    setTimeout(() => abort.abort(), 100);
    await assert.rejects(
      request,
      (error) => error instanceof OpencodeApiError && error.status === 503,
    );
    // Given up by the signal, not by the timeout (which would also reject, 8 s in).
    assert.ok(performance.now() - started < 4_000, "the abort ended the request");
  } finally {
    never.resolve();
    await server.shutdown();
  }
});
