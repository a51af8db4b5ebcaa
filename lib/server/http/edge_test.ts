import assert from "node:assert/strict";
import { Hono } from "hono";
import { edge, type EdgeOptions, TOKEN_COOKIE } from "./edge.ts";
import { AccessToken } from "./access_token.ts";

function appWith(token?: string, options: Partial<EdgeOptions> = {}) {
  const app = new Hono();
  app.use(edge({ hostname: "127.0.0.1", port: 3100, token, ...options }));
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

/** A request as another machine sends it to Palot bound to every address on port 3220. */
const remote = (host: string, init: RequestInit = {}) => {
  const headers = new Headers(init.headers);
  headers.set("host", host);
  return new Request(`http://127.0.0.1:3220/`, { ...init, headers });
};

Deno.test("edge beyond loopback: any Host with the token, 401 (not 403) without it", async () => {
  const app = appWith("s3cret", { hostname: "0.0.0.0", port: 3220 });
  for (const host of ["192.0.2.2:3220", "devbox.lan:3220", "DevBox.lan", "127.0.0.1:3220"]) {
    const bearer = await app.fetch(remote(host, { headers: { authorization: "Bearer s3cret" } }));
    assert.equal(bearer.status, 200, `${host} with the token`);
    assert.equal(await bearer.text(), "ok");
    const cookie = await app.fetch(remote(host, { headers: { cookie: `${TOKEN_COOKIE}=s3cret` } }));
    assert.equal(cookie.status, 200, `${host} with the cookie`);
    await cookie.body?.cancel();
    const none = await app.fetch(remote(host));
    assert.equal(none.status, 401, `${host} without the token`);
    assert.match(await none.text(), /^Unauthorized/);
    const wrong = await app.fetch(remote(host, { headers: { authorization: "Bearer nope" } }));
    assert.equal(wrong.status, 401, `${host} with a wrong token`);
    await wrong.body?.cancel();
  }
  const first = await app.fetch(
    new Request("http://127.0.0.1:3220/?token=s3cret", { headers: { host: "192.0.2.2:3220" } }),
  );
  assert.equal(first.status, 303, "the printed link signs a phone in");
  assert.match(first.headers.get("set-cookie") ?? "", /palot_token=s3cret/);
});

Deno.test("edge: --allowed-host narrows the names beyond loopback and adds names on loopback", async () => {
  const narrowed = appWith("s3cret", {
    hostname: "0.0.0.0",
    port: 3220,
    allowedHosts: ["devbox.lan", "192.0.2.2:3220"],
  });
  const withToken = { headers: { authorization: "Bearer s3cret" } };
  for (const host of ["devbox.lan:3220", "devbox.lan", "192.0.2.2:3220", "localhost:3220"]) {
    const response = await narrowed.fetch(remote(host, withToken));
    assert.equal(response.status, 200, host);
    await response.body?.cancel();
  }
  for (const host of ["other.lan:3220", "192.0.2.2:8080", "192.0.2.3:3220"]) {
    const response = await narrowed.fetch(remote(host, withToken));
    assert.equal(response.status, 403, host);
    assert.match(await response.text(), /does not answer to host/);
    const anonymous = await narrowed.fetch(remote(host));
    assert.equal(anonymous.status, 401, `${host} without the token is told about the token`);
    await anonymous.body?.cancel();
  }

  const proxied = appWith("s3cret", { allowedHosts: ["palot.example"] });
  const viaProxy = await proxied.fetch(request("/", { host: "palot.example", ...withToken }));
  assert.equal(viaProxy.status, 200, "a name added on a loopback bind");
  await viaProxy.body?.cancel();
  for (const host of ["192.0.2.2:3100", "devbox.lan:3100", "evil.example:3100"]) {
    for (const init of [withToken, {}]) {
      const forged = await proxied.fetch(request("/", { host, ...init }));
      assert.equal(forged.status, 403, `forged ${host} on a loopback bind`);
      await forged.body?.cancel();
    }
  }
});

Deno.test("edge compares Origin with the request's own Host in any scheme (TLS proxy)", async () => {
  const app = appWith("s3cret", { hostname: "0.0.0.0", port: 3220 });
  const post = (host: string, origin: string) =>
    app.fetch(
      remote(host, { method: "POST", headers: { origin, authorization: "Bearer s3cret" } }),
    );
  const allowed = [
    ["devbox.lan", "https://devbox.lan"],
    ["devbox.lan:8443", "https://devbox.lan:8443"],
    ["devbox.lan", "https://devbox.lan:443"],
    ["192.0.2.2:3220", "http://192.0.2.2:3220"],
  ];
  for (const [host, origin] of allowed) {
    const response = await post(host, origin);
    assert.equal(response.status, 200, `${origin} to ${host}`);
    await response.body?.cancel();
  }
  const refused = [
    ["devbox.lan", "https://evil.example"],
    ["devbox.lan:8443", "https://devbox.lan"],
    ["devbox.lan", "ftp://devbox.lan"],
    ["devbox.lan", "null"],
  ];
  for (const [host, origin] of refused) {
    const response = await post(host, origin);
    assert.equal(response.status, 403, `${origin} to ${host}`);
    await response.body?.cancel();
  }

  // A proxy that rewrites Host to Palot's loopback address: its public name must be allowed.
  const proxied = appWith("s3cret", { allowedHosts: ["palot.example"] });
  const behindProxy = (origin: string) =>
    proxied.fetch(request("/x", {
      method: "POST",
      headers: { origin, authorization: "Bearer s3cret" },
    }));
  assert.equal((await behindProxy("https://palot.example")).status, 200);
  assert.equal((await behindProxy("https://other.example")).status, 403);
});

Deno.test("edge with a rotating token: the new one works, the old one is refused, streams end", async () => {
  const token = new AccessToken("first");
  const app = new Hono();
  app.use(edge({ hostname: "127.0.0.1", port: 3100, token }));
  app.get(
    "/stream",
    () =>
      new Response(
        new ReadableStream({ start: (c) => c.enqueue(new TextEncoder().encode(":\n")) }),
        {
          headers: { "content-type": "text/event-stream" },
        },
      ),
  );
  const auth = (value: string) => ({ headers: { authorization: `Bearer ${value}` } });
  const stream = await app.fetch(request("/stream", auth("first")));
  assert.equal(stream.status, 200);
  const reader = stream.body!.getReader();
  assert.ok((await reader.read()).value, "the stream is open");
  const next = await token.rotate();
  assert.notEqual(next, "first");
  await assert.rejects(reader.read(), "the old token's stream ends");
  assert.equal((await app.fetch(request("/stream", auth("first")))).status, 401);
  const fresh = await app.fetch(request("/stream", auth(next)));
  assert.equal(fresh.status, 200);
  await fresh.body?.cancel();
});
