import assert from "node:assert/strict";
import { Hono } from "hono";
import { edge, TOKEN_COOKIE } from "./edge.ts";

function appWith(token?: string) {
  const app = new Hono();
  app.use(edge({ hostname: "127.0.0.1", port: 3100, token }));
  app.all("/*", (c) => c.text("ok"));
  return app;
}

const request = (path: string, init: RequestInit & { host?: string } = {}) => {
  const headers = new Headers(init.headers);
  headers.set("host", init.host ?? "127.0.0.1:3100");
  return new Request(`http://127.0.0.1:3100${path}`, { ...init, headers });
};

Deno.test("edge answers the loopback names and the bound address, with the port", async () => {
  const app = appWith();
  for (const host of ["127.0.0.1:3100", "localhost:3100", "[::1]:3100", "LOCALHOST:3100"]) {
    const response = await app.fetch(request("/", { host }));
    assert.equal(response.status, 200, host);
    assert.equal(await response.text(), "ok");
  }
});

Deno.test("edge rejects foreign hosts (DNS rebinding) with 403", async () => {
  const app = appWith();
  for (
    const host of ["evil.example:3100", "127.0.0.1:3101", "localhost", "127.0.0.1.nip.io:3100"]
  ) {
    const response = await app.fetch(request("/", { host }));
    assert.equal(response.status, 403, host);
    await response.body?.cancel();
  }
});

Deno.test("edge rejects cross-origin writes but allows same-origin and origin-less ones", async () => {
  const app = appWith();
  const post = (origin?: string) =>
    app.fetch(request("/api/x", { method: "POST", headers: origin ? { origin } : {} }));
  assert.equal((await post("http://evil.example")).status, 403);
  assert.equal((await post("null")).status, 403);
  assert.equal((await post("http://localhost:3101")).status, 403);
  assert.equal((await post("http://127.0.0.1:3100")).status, 200);
  assert.equal((await post("http://localhost:3100")).status, 200);
  assert.equal((await post()).status, 200);
  const get = await app.fetch(request("/", { headers: { origin: "http://evil.example" } }));
  assert.equal(get.status, 200, "a GET is not a write");
});

Deno.test("edge with a token: ?token= sets a cookie, then the cookie is enough", async () => {
  const app = appWith("s3cret");
  assert.equal((await app.fetch(request("/"))).status, 401);
  assert.equal((await app.fetch(request("/?token=wrong"))).status, 401);
  const first = await app.fetch(request("/project/x?token=s3cret&a=1"));
  assert.equal(first.status, 303);
  assert.equal(first.headers.get("location"), "/project/x?a=1");
  const cookie = first.headers.get("set-cookie") ?? "";
  assert.match(cookie, new RegExp(`^${TOKEN_COOKIE}=s3cret`));
  assert.match(cookie, /HttpOnly/);
  assert.match(cookie, /SameSite=Strict/);
  const next = await app.fetch(request("/", { headers: { cookie: `${TOKEN_COOKIE}=s3cret` } }));
  assert.equal(next.status, 200);
  const bearer = await app.fetch(request("/", { headers: { authorization: "Bearer s3cret" } }));
  assert.equal(bearer.status, 200);
  const wrongCookie = await app.fetch(
    request("/", { headers: { cookie: `${TOKEN_COOKIE}=nope` } }),
  );
  assert.equal(wrongCookie.status, 401);
});
