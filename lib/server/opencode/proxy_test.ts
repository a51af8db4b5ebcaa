/**
 * The proxy over real HTTP on loopback, in front of a server posing as OpenCode (to see exactly
 * which headers arrive, and to hold a request open on cue). Against the real opencode:
 * `integration/main_test.ts` and `integration/fault_injection_test.ts`.
 */

import assert from "node:assert/strict";
import { Hono } from "hono";
import { poseAsOpencode } from "../../../testing/pose_as_opencode.ts";
import { waitFor } from "../../../testing/world.ts";
import { opencodeProxy } from "./proxy.ts";

Deno.test("the proxy strips hop-by-hop headers, cancels reads, finishes writes, relays WebSockets, serves only data", async () => {
  const seen: Record<string, Headers> = {};
  const aborted: string[] = [];
  const finished: string[] = [];
  const release = Promise.withResolvers<void>();
  await using fake = poseAsOpencode(async (request) => {
    const url = new URL(request.url);
    seen[url.pathname] = new Headers(request.headers);
    // (Deno also aborts a request's signal once its response is sent: only earlier counts.)
    request.signal.addEventListener("abort", () => {
      if (!finished.includes(url.pathname)) aborted.push(url.pathname);
    });
    if (url.pathname === "/pty/p1/connect") {
      const { socket, response } = Deno.upgradeWebSocket(request);
      socket.onmessage = (event) => socket.send(`echo: ${event.data}`);
      return response;
    }
    if (url.pathname === "/slow-read" || url.pathname === "/slow-write") {
      await release.promise;
      finished.push(url.pathname);
      return Response.json({ done: true });
    }
    const typed: Record<string, string> = {
      "/ui": "text/html; charset=utf-8",
      "/api/fs/read/evil.svg": "image/svg+xml",
      "/evil.xhtml": "application/xhtml+xml",
      "/evil.js": "text/javascript",
      "/notes.txt": "text/plain",
    };
    if (typed[url.pathname]) {
      return new Response("<svg onload=alert(1)>", {
        headers: { "content-type": typed[url.pathname], "set-cookie": "palot_session_1=x" },
      });
    }
    return Response.json({ ok: true }, {
      headers: { connection: "x-upstream-secret", "x-upstream-secret": "1", trailer: "x-t" },
    });
  });
  const app = new Hono();
  const signOut = new AbortController();
  app.all(
    "/api/opencode/*",
    opencodeProxy({ endpoint: () => fake.endpoint }, { closeOn: () => signOut.signal }),
  );
  await using server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen: () => {} },
    app.fetch,
  );
  const base = `http://127.0.0.1:${server.addr.port}/api/opencode`;

  const plain = await fetch(`${base}/session`, {
    headers: {
      "proxy-authorization": "Basic leak",
      trailer: "x-trailing",
      connection: "x-hop-only",
      "x-hop-only": "secret",
      "x-kept": "yes",
      authorization: "Basic browser",
    },
  });
  assert.equal(plain.status, 200);
  await plain.body?.cancel();
  const arrived = seen["/session"];
  assert.equal(arrived.get("proxy-authorization"), null);
  assert.equal(arrived.get("trailer"), null);
  assert.equal(arrived.get("x-hop-only"), null, "a header named in Connection is not forwarded");
  assert.equal(arrived.get("x-kept"), "yes");
  assert.equal(
    arrived.get("authorization"),
    "Basic test",
    "OpenCode's password replaces the browser's",
  );
  assert.equal(plain.headers.get("x-upstream-secret"), null);
  assert.equal(plain.headers.get("trailer"), null);

  // A GET whose reader goes away cancels the upstream request.
  const reader = new AbortController();
  const read = fetch(`${base}/slow-read`, { signal: reader.signal }).catch(() => "aborted");
  await waitFor(() => seen["/slow-read"], { message: "the slow read upstream" });
  reader.abort();
  assert.equal(await read, "aborted");
  await waitFor(() => aborted.includes("/slow-read"), { message: "the upstream read cancelled" });

  // A POST whose tab closes still runs to its end upstream.
  const writer = new AbortController();
  const write = fetch(`${base}/slow-write`, {
    method: "POST",
    body: "{}",
    headers: { "content-type": "application/json" },
    signal: writer.signal,
  }).catch(() => "aborted");
  await waitFor(() => seen["/slow-write"], { message: "the slow write upstream" });
  writer.abort();
  assert.equal(await write, "aborted");
  await new Promise((resolve) => setTimeout(resolve, 200));
  release.resolve();
  await waitFor(() => finished.includes("/slow-write"), { message: "the write to finish" });
  assert.ok(!aborted.includes("/slow-write"), "the write was not cancelled");

  // WebSocket upgrades pass through, with the password on the upstream handshake.
  const socket = new WebSocket(`${base.replace("http:", "ws:")}/pty/p1/connect?directory=%2Fp`);
  const echoed = await new Promise<string>((resolve, reject) => {
    socket.onopen = () => socket.send("ls");
    socket.onmessage = (event) => resolve(String(event.data));
    socket.onerror = () => reject(new Error("WebSocket failed"));
  });
  assert.equal(echoed, "echo: ls");
  assert.equal(seen["/pty/p1/connect"].get("authorization"), "Basic test");
  const closed = new Promise((resolve) => socket.onclose = resolve);
  socket.close();
  await closed;

  // A new access token closes the WebSockets opened before it (a terminal is a shell).
  const terminal = new WebSocket(`${base.replace("http:", "ws:")}/pty/p1/connect?directory=%2Fp`);
  await new Promise((resolve) => terminal.onopen = resolve);
  const ended = new Promise<CloseEvent>((resolve) => terminal.onclose = resolve);
  signOut.abort();
  const close = await ended;
  assert.equal(close.code, 1008);
  assert.match(close.reason, /token was replaced/);

  // No answer is active content on Palot's origin: anything but JSON is a download, never sniffed.
  for (
    const [path, type] of [
      ["/ui", "application/octet-stream"],
      ["/api/fs/read/evil.svg", "application/octet-stream"],
      ["/evil.xhtml", "application/octet-stream"],
      ["/evil.js", "application/octet-stream"],
      ["/notes.txt", "text/plain; charset=utf-8"],
    ]
  ) {
    const response = await fetch(`${base}${path}`);
    assert.equal(response.headers.get("content-type"), type, path);
    assert.equal(response.headers.get("content-disposition"), "attachment", path);
    assert.equal(response.headers.get("x-content-type-options"), "nosniff", path);
    assert.match(response.headers.get("content-security-policy") ?? "", /^sandbox/, path);
    assert.equal(response.headers.get("set-cookie"), null, path);
    await response.body?.cancel();
  }
  const json = await fetch(`${base}/session`);
  assert.equal(json.headers.get("content-type"), "application/json");
  assert.equal(json.headers.get("content-disposition"), null);
  assert.equal(json.headers.get("x-content-type-options"), "nosniff");
  assert.match(json.headers.get("content-security-policy") ?? "", /^sandbox/);
  await json.body?.cancel();
});
