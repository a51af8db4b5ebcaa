import assert from "node:assert/strict";
import { Hono } from "hono";
import { edge, type EdgeOptions, sessionCookieName } from "./edge.ts";
import { AccessToken } from "./access_token.ts";
import { SignInThrottle } from "./sign_in_throttle.ts";

const TOKEN = "s3cret-token-0123456789";

function appWith(token?: string | AccessToken, options: Partial<EdgeOptions> = {}) {
  const app = new Hono();
  const source = typeof token === "string" ? new AccessToken(token) : token;
  app.use(edge({ hostname: "127.0.0.1", port: 3100, token: source, ...options }));
  app.all("/*", (c) => c.text("ok"));
  return app;
}

/** The session value a `Set-Cookie` header carries for Palot on `port`. */
const sessionOf = (response: Response, port = 3100) =>
  new RegExp(`${sessionCookieName(port)}=([^;]+)`).exec(
    response.headers.get("set-cookie") ?? "",
  )?.[1];
const withSession = (value: string, port = 3100) => ({
  headers: { cookie: `${sessionCookieName(port)}=${value}` },
});

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

Deno.test("edge rejects any request from another origin, allows same-origin and origin-less ones", async () => {
  const app = appWith();
  for (const method of ["POST", "GET", "DELETE"]) {
    const send = (origin?: string) =>
      app.fetch(request("/api/x", { method, headers: origin ? { origin } : {} }));
    assert.equal((await send("http://evil.example")).status, 403, method);
    assert.equal((await send("null")).status, 403, method);
    assert.equal((await send("http://localhost:3101")).status, 403, `${method}: another port`);
    assert.equal((await send("http://127.0.0.1:3100")).status, 200, method);
    assert.equal((await send("http://localhost:3100")).status, 200, method);
    assert.equal((await send()).status, 200, `${method} without Origin (curl, a script)`);
  }
});

Deno.test("edge: a WebSocket upgrade needs Palot's own Origin", async () => {
  const app = appWith();
  const upgrade = (origin?: string) =>
    app.fetch(request("/api/opencode/pty/p1/connect?directory=%2Ftmp", {
      headers: { upgrade: "websocket", connection: "Upgrade", ...(origin ? { origin } : {}) },
    }));
  const foreign = await upgrade("http://evil.example");
  assert.equal(foreign.status, 403);
  assert.match(await foreign.text(), /another site/);
  assert.equal((await upgrade("http://127.0.0.1:3101")).status, 403, "another local port");
  assert.equal((await upgrade()).status, 403, "no Origin");
  assert.equal((await upgrade("http://127.0.0.1:3100")).status, 200, "Palot's own page");
});

Deno.test("edge: Fetch Metadata, another site may only open the home page", async () => {
  const app = appWith();
  const from = (site: string, path: string, mode = "no-cors") =>
    app.fetch(request(path, { headers: { "sec-fetch-site": site, "sec-fetch-mode": mode } }));
  // <img src=".../api/opencode/agent?directory=/x"> boots OpenCode in /x, running its plugins.
  const image = await from("cross-site", "/api/opencode/agent?directory=%2Fx");
  assert.equal(image.status, 403);
  assert.match(await image.text(), /another site/);
  assert.equal((await from("same-site", "/api/toolbar?directory=%2Fx", "cors")).status, 403);
  const page = await from("cross-site", "/new?directory=%2Fx", "navigate");
  assert.equal(page.status, 403, "a page that boots OpenCode");
  const html = await page.text();
  assert.match(html, /Opened from another site/);
  assert.match(html, /<a href="\/">Open Palot's home page<\/a>/);
  assert.equal((await from("cross-site", "/api/opencode/agent", "navigate")).status, 403);
  assert.equal((await from("cross-site", "/", "navigate")).status, 200, "a link to Palot");
  assert.equal((await from("same-origin", "/api/opencode/agent", "cors")).status, 200);
  assert.equal((await from("none", "/new?directory=%2Fx", "navigate")).status, 200, "typed");
});

Deno.test("edge with a token: ?token= starts a session whose cookie is not the token", async () => {
  const app = appWith(TOKEN);
  assert.equal((await app.fetch(request("/"))).status, 401);
  assert.equal((await app.fetch(request("/?token=wrong"))).status, 401);
  const first = await app.fetch(request(`/project/x?token=${TOKEN}&a=1`));
  assert.equal(first.status, 303);
  assert.equal(first.headers.get("location"), "/project/x?a=1");
  const cookie = first.headers.get("set-cookie") ?? "";
  assert.ok(!cookie.includes(TOKEN), "the cookie never carries the token");
  assert.match(cookie, new RegExp(`^${sessionCookieName(3100)}=[A-Za-z0-9_-]{43}`));
  assert.match(cookie, /HttpOnly/);
  assert.match(cookie, /SameSite=Strict/);
  const session = sessionOf(first)!;
  assert.equal((await app.fetch(request("/", withSession(session)))).status, 200);
  assert.equal((await app.fetch(request("/", withSession(session, 3101)))).status, 401);
  const bearer = await app.fetch(request("/", { headers: { authorization: `Bearer ${TOKEN}` } }));
  assert.equal(bearer.status, 200);
  const bare = await app.fetch(request("/", { headers: { authorization: TOKEN } }));
  assert.equal(bare.status, 401, "a token without Bearer is not a credential");
  assert.equal(
    (await app.fetch(request("/", withSession(TOKEN)))).status,
    401,
    "the token as cookie",
  );
  const stale = await app.fetch(request("/", {
    headers: { cookie: `${sessionCookieName(3100)}=stale`, authorization: `Bearer ${TOKEN}` },
  }));
  assert.equal(stale.status, 200, "a valid Bearer wins over a stale cookie");
});

Deno.test("edge with a token: after signing in, the redirect stays on Palot", async () => {
  const app = appWith(TOKEN);
  for (
    const [path, location] of [
      [`//evil.example/x?token=${TOKEN}`, "/evil.example/x"],
      [`/\\evil.example/x?token=${TOKEN}`, "/evil.example/x"],
      [`///evil.example?token=${TOKEN}&b=2`, "/evil.example?b=2"],
    ]
  ) {
    const response = await app.fetch(
      new Request(`http://127.0.0.1:3100${path}`, {
        headers: { host: "127.0.0.1:3100" },
      }),
    );
    assert.equal(response.status, 303, path);
    assert.equal(response.headers.get("location"), location, path);
  }
});

Deno.test("edge with a token: wrong guesses are throttled per client, a signed-in browser is not", async () => {
  let now = 1_000_000;
  const throttle = new SignInThrottle({ limit: 3, windowMs: 60_000, now: () => now });
  const app = appWith(TOKEN, { throttle });
  const signedIn = sessionOf(await app.fetch(request(`/?token=${TOKEN}`)))!;
  const guess = (value: string, remoteAddr = "192.0.2.9") =>
    app.fetch(request("/", { headers: { authorization: `Bearer ${value}` } }), {
      remoteAddr: { hostname: remoteAddr, port: 5000, transport: "tcp" },
    });
  for (let i = 0; i < 3; i++) assert.equal((await guess(`guess-${i}`)).status, 401);
  const blocked = await guess(TOKEN);
  assert.equal(blocked.status, 429, "even the right token waits: a guess must teach nothing");
  assert.equal(blocked.headers.get("retry-after"), "60");
  assert.equal((await guess("guess-x", "192.0.2.10")).status, 401, "another client");
  const session = await app.fetch(request("/", withSession(signedIn)), {
    remoteAddr: { hostname: "192.0.2.9", port: 5001, transport: "tcp" },
  });
  assert.equal(session.status, 200, "a browser already signed in is not a guess");
  assert.equal((await guess("no-token-at-all-here")).status, 429);
  now += 60_001;
  assert.equal((await guess(TOKEN)).status, 200, "after the window");
});

/** A request as another machine sends it to Palot bound to every address on port 3220. */
const remote = (host: string, init: RequestInit = {}, path = "/") => {
  const headers = new Headers(init.headers);
  headers.set("host", host);
  return new Request(`http://127.0.0.1:3220${path}`, { ...init, headers });
};

Deno.test("edge beyond loopback: any Host with the token, 401 (not 403) without it", async () => {
  const app = appWith(TOKEN, { hostname: "0.0.0.0", port: 3220 });
  const session = sessionOf(
    await app.fetch(remote("192.0.2.2:3220", {}, `/?token=${TOKEN}`)),
    3220,
  )!;
  for (const host of ["192.0.2.2:3220", "devbox.lan:3220", "DevBox.lan", "127.0.0.1:3220"]) {
    const bearer = await app.fetch(remote(host, { headers: { authorization: `Bearer ${TOKEN}` } }));
    assert.equal(bearer.status, 200, `${host} with the token`);
    assert.equal(await bearer.text(), "ok");
    const cookie = await app.fetch(remote(host, withSession(session, 3220)));
    assert.equal(cookie.status, 200, `${host} with the cookie`);
    await cookie.body?.cancel();
    const none = await app.fetch(remote(host));
    assert.equal(none.status, 401, `${host} without the token`);
    assert.match(await none.text(), /^Unauthorized/);
    const wrong = await app.fetch(remote(host, { headers: { authorization: "Bearer nope" } }));
    assert.equal(wrong.status, 401, `${host} with a wrong token`);
    await wrong.body?.cancel();
  }
  const first = await app.fetch(remote("192.0.2.2:3220", {}, `/?token=${TOKEN}`));
  assert.equal(first.status, 303, "the printed link signs a phone in");
  assert.ok(sessionOf(first, 3220));
});

Deno.test("edge: --allowed-host narrows the names beyond loopback and adds names on loopback", async () => {
  const narrowed = appWith(TOKEN, {
    hostname: "0.0.0.0",
    port: 3220,
    allowedHosts: ["devbox.lan", "192.0.2.2:3220"],
  });
  const withToken = { headers: { authorization: `Bearer ${TOKEN}` } };
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

  const proxied = appWith(TOKEN, { allowedHosts: ["palot.example"] });
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
  const app = appWith(TOKEN, { hostname: "0.0.0.0", port: 3220 });
  const post = (host: string, origin: string) =>
    app.fetch(
      remote(host, { method: "POST", headers: { origin, authorization: `Bearer ${TOKEN}` } }),
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
    ["devbox.lan", "https://devbox.lan/path"],
  ];
  for (const [host, origin] of refused) {
    const response = await post(host, origin);
    assert.equal(response.status, 403, `${origin} to ${host}`);
    await response.body?.cancel();
  }

  // A proxy that rewrites Host to Palot's loopback address: its public name must be allowed.
  const proxied = appWith(TOKEN, { allowedHosts: ["palot.example"] });
  const behindProxy = (origin: string) =>
    proxied.fetch(request("/x", {
      method: "POST",
      headers: { origin, authorization: `Bearer ${TOKEN}` },
    }));
  assert.equal((await behindProxy("https://palot.example")).status, 200);
  assert.equal((await behindProxy("https://other.example")).status, 403);
  assert.equal(
    (await behindProxy("http://palot.example:8080")).status,
    403,
    "another port of the proxy's name is another service",
  );
});

Deno.test("edge with a rotating token: the new one works, the old one is refused, streams end", async () => {
  const token = new AccessToken("first-token-0123456789");
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
  const signedIn = sessionOf(await app.fetch(request("/?token=first-token-0123456789")))!;
  const stream = await app.fetch(request("/stream", auth("first-token-0123456789")));
  assert.equal(stream.status, 200);
  const reader = stream.body!.getReader();
  assert.ok((await reader.read()).value, "the stream is open");
  const next = await token.rotate();
  assert.notEqual(next, "first-token-0123456789");
  assert.equal((await reader.read()).done, true, "the old token's stream ends, cleanly");
  const old = await app.fetch(request("/stream", auth("first-token-0123456789")));
  assert.equal(old.status, 401);
  assert.equal((await app.fetch(request("/", withSession(signedIn)))).status, 401, "signed out");
  const fresh = await app.fetch(request("/stream", auth(next)));
  assert.equal(fresh.status, 200);
  await fresh.body?.cancel();
});
