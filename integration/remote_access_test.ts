/**
 * Remote access as a user runs it: Palot bound beyond loopback (or behind a proxy on loopback),
 * reached with the `Host` and `Origin` a browser on another machine or behind a TLS reverse proxy
 * sends. Every request goes to 127.0.0.1 only; the foreign names travel in headers.
 */

import assert from "node:assert/strict";
import { linkTo, remoteAddresses } from "../lib/server/http/links.ts";
import { type RunningPalot, startPalot } from "../testing/palot.ts";
import { requestAs } from "../testing/raw_http.ts";
import { OpencodeWorld, waitFor } from "../testing/world.ts";

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
/** A sign-in session's cookie (any port's: the tests read the value from `Set-Cookie`). */
const cookie = (session: string) => ({ cookie: `palot_session_${session}` });
/** The sign-in session a `Set-Cookie` header carries, as `<port>=<value>`. */
const sessionOf = (setCookie: string | null) =>
  /palot_session_(\d+=[^;]+)/.exec(setCookie ?? "")?.[1];

/** Whether `reader`'s stream ends (or fails) within `timeoutMs`. */
async function ends(reader: ReadableStreamDefaultReader, timeoutMs: number): Promise<boolean> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<boolean>((resolve) => timer = setTimeout(resolve, timeoutMs, false));
  const drained = (async () => {
    try {
      while (!(await reader.read()).done) { /* events before the end */ }
    } catch { /* ended with an error */ }
    return true;
  })();
  const ended = await Promise.race([drained, timeout]);
  clearTimeout(timer);
  if (!ended) await reader.cancel();
  return ended;
}

async function opencodeReady(palot: RunningPalot, token: string) {
  await waitFor(async () => {
    const response = await palot.fetch("/api/opencode", { headers: bearer(token) });
    return (await response.json()).status === "ready";
  }, { timeoutMs: 60_000, message: "opencode ready behind Palot" });
}

Deno.test("beyond loopback: --port 0, a link per address, any Host with the token, https Origin, New token", async () => {
  await using world = await OpencodeWorld.create();
  const project = await world.makeProject("phone-work");
  const token = `s3cret-${crypto.randomUUID()}`;
  const args = ["--hostname", "0.0.0.0", "--token", token];
  let palot = await startPalot(world, { port: 0, args });
  try {
    const { port } = palot;
    assert.ok(port > 0, `a real port (${port})`);
    assert.equal(palot.logs[0], `Palot ready at http://127.0.0.1:${port}/?token=${token}`);
    assert.ok(!palot.logs.some((line) => line.includes("0.0.0.0")), "never a 0.0.0.0 link");
    const addresses = remoteAddresses("0.0.0.0", Deno.networkInterfaces());
    if (addresses.length > 0) {
      await waitFor(() => palot.logs.some((line) => /^[█▀▄ ]{20,}$/.test(line)), {
        message: "a QR code",
      });
    }
    for (const address of addresses) {
      assert.ok(palot.logs.includes(`  ${linkTo(address, port, token)}`), address);
    }

    let session = "";
    for (const host of [`192.0.2.2:${port}`, `devbox.lan:${port}`]) {
      const anonymous = await requestAs(port, host);
      assert.equal(anonymous.status, 401, `${host} without the token`);
      assert.match(anonymous.body, /^Unauthorized/);
      const withBearer = await requestAs(port, host, { headers: bearer(token) });
      assert.equal(withBearer.status, 200, `${host} with the token`);
      assert.match(withBearer.body, /<h1>Projects<\/h1>/);
      const link = await requestAs(port, host, { path: `/?token=${token}` });
      assert.equal(link.status, 303, `${host} opening the printed link`);
      session = sessionOf(link.headers.get("set-cookie"))!;
      assert.match(session, new RegExp(`^${port}=`), "a sign-in session for this Palot");
      assert.ok(!session.includes(token), "the cookie is not the token");
      const withCookie = await requestAs(port, host, { headers: cookie(session) });
      assert.equal(withCookie.status, 200, `${host} with the cookie`);
    }

    // A browser behind a TLS reverse proxy: Origin https://devbox.lan, Host passed through.
    await opencodeReady(palot, token);
    const write = (origin: string) =>
      requestAs(port, "devbox.lan", {
        method: "POST",
        path: `/api/opencode/session?directory=${encodeURIComponent(project)}`,
        headers: { origin, "content-type": "application/json", ...cookie(session) },
        body: JSON.stringify({ title: "From the phone" }),
      });
    const created = await write("https://devbox.lan");
    assert.equal(created.status, 200, created.body);
    assert.equal(JSON.parse(created.body).title, "From the phone");
    assert.equal((await write("https://evil.example")).status, 403);

    const settings = await requestAs(port, "devbox.lan", {
      path: "/settings",
      headers: { ...cookie(session), "x-forwarded-proto": "https" },
    });
    assert.equal(settings.status, 200);
    assert.ok(settings.body.includes(`https://devbox.lan/?token=${token}`), "the sign-in link");
    assert.ok(!settings.body.includes("need HTTPS"), "HTTPS is a secure context");
    const plain = await requestAs(port, `192.0.2.2:${port}`, {
      path: "/settings",
      headers: cookie(session),
    });
    assert.match(
      plain.body,
      /notifications, copying to the clipboard and installing Palot as an app need HTTPS/,
    );

    // New token: this browser gets the new cookie, every other one is signed out.
    const stream = await palot.fetch("/api/events", { headers: bearer(token) });
    assert.equal(stream.status, 200);
    const events = stream.body!.getReader();
    assert.ok((await events.read()).value, "the event stream is open");
    const rotated = await requestAs(port, "devbox.lan", {
      method: "POST",
      path: "/api/token",
      headers: { origin: "https://devbox.lan", ...cookie(session) },
    });
    assert.equal(rotated.status, 303);
    assert.match(rotated.headers.get("location") ?? "", /^\/settings\?rotated=1/);
    const renewed = sessionOf(rotated.headers.get("set-cookie"));
    assert.ok(renewed && renewed !== session, "this browser is signed in again");
    const link = await waitFor(() => palot.logs.findLast((line) => line.includes("?token=")));
    const next = /\?token=(\S+)/.exec(link)![1];
    assert.ok(next !== token, "a new token");
    assert.ok(await ends(events, 10_000), "the old token's event stream ends");
    assert.equal((await requestAs(port, "devbox.lan", { headers: cookie(session) })).status, 401);
    assert.equal((await palot.fetch("/", { headers: bearer(token) })).status, 401);
    const after = await requestAs(port, "devbox.lan", {
      path: "/settings?rotated=1",
      headers: cookie(renewed),
    });
    assert.equal(after.status, 200);
    assert.match(after.body, /New token set/);
    assert.ok(after.body.includes(`http://devbox.lan/?token=${next}`));
    await waitFor(() => palot.logs.some((line) => line.includes(`?token=${next}`)), {
      message: "the new links in the terminal",
    });

    // A restart with the same --token keeps the old token signed out.
    await palot.stop();
    palot = await startPalot(world, { port: 0, args });
    assert.ok(palot.logs.some((line) => line.includes("Using the token set in Settings")));
    assert.equal((await palot.fetch("/", { headers: bearer(token) })).status, 401);
    const home = await palot.fetch("/", { headers: bearer(next) });
    assert.equal(home.status, 200);
    await home.body?.cancel();
  } finally {
    await palot.stop();
  }
});

Deno.test("on loopback: --allowed-host adds a proxy's name, a forged Host is still refused", async () => {
  await using world = await OpencodeWorld.create();
  const token = `t-${crypto.randomUUID()}`;
  await using palot = await startPalot(world, {
    args: ["--token", token, "--allowed-host", "devbox.lan"],
  });
  const { port } = palot;
  assert.deepEqual(palot.logs.filter((line) => line.startsWith("Palot ready")), [
    `Palot ready at http://127.0.0.1:${port}/?token=${token}`,
  ]);
  assert.ok(!palot.logs.some((line) => line.includes("From another device")));
  for (const host of ["devbox.lan", `devbox.lan:${port}`, `localhost:${port}`]) {
    assert.equal((await requestAs(port, host, { headers: bearer(token) })).status, 200, host);
    assert.equal((await requestAs(port, host)).status, 401, `${host} without the token`);
  }
  // The guide's nginx setup: Host passed through, X-Forwarded-Proto, an https:// page.
  const viaProxy = (origin: string) =>
    requestAs(port, "devbox.lan", {
      method: "POST",
      path: "/api/opencode/session",
      headers: { origin, "x-forwarded-proto": "https", ...bearer(token) },
    });
  assert.notEqual((await viaProxy("https://devbox.lan")).status, 403, "the proxy's own page");
  assert.equal((await viaProxy("https://evil.example")).status, 403, "another site");
  const settings = await requestAs(port, "devbox.lan", {
    path: "/settings",
    headers: { "x-forwarded-proto": "https", ...bearer(token) },
  });
  assert.ok(settings.body.includes(`https://devbox.lan/?token=${token}`));
  for (const host of [`192.0.2.2:${port}`, `evil.example:${port}`, `127.0.0.1.nip.io:${port}`]) {
    for (const headers of [bearer(token), {}]) {
      const forged = await requestAs(port, host, { headers });
      assert.equal(forged.status, 403, `forged ${host}`);
      assert.match(forged.body, /does not answer to host/);
    }
  }
});
