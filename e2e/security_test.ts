/**
 * Palot probed as an attacker would (issue: "a web page the user visits must not be able to run
 * commands on their machine"), against real Palot processes and the real opencode on loopback: one
 * Palot on 127.0.0.1 and one on 0.0.0.0 with `--token`, Debian's Chromium, and an attacker's web
 * server on another port, reached both as another site (`evil.example`, mapped to 127.0.0.1 inside
 * Chromium only) and as another port of the same host. Each step is one finding of the probe and
 * fails on the Palot the probe found; `docs/security.md` has the threat model.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { type RunningPalot, startPalot } from "../testing/palot.ts";
import { requestAs } from "../testing/raw_http.ts";
import { freePort, OpencodeWorld, waitFor } from "../testing/world.ts";
import { browserTest, launchChromium } from "./harness.ts";

const TOKEN = `token-${crypto.randomUUID()}`;
const exists = (path: string) => Deno.stat(path).then(() => true, () => false);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const query = (directory: string) => `directory=${encodeURIComponent(directory)}`;

/** A plugin that, when OpenCode loads it for its folder, writes `loaded.txt` there. */
const PLUGIN = `import { writeFileSync } from "node:fs";
writeFileSync(new URL("../../loaded.txt", import.meta.url), "loaded");
export const Mark = async () => ({});
`;

/** The attacker's web server: a blank page, and every cookie a browser sent it. */
function startAttacker() {
  const cookies: string[] = [];
  const port = freePort();
  const server = Deno.serve({ hostname: "127.0.0.1", port, onListen: () => {} }, (request) => {
    const cookie = request.headers.get("cookie");
    if (cookie) cookies.push(cookie);
    return new Response("<!doctype html><title>A page on the web</title><body>", {
      headers: { "content-type": "text/html" },
    });
  });
  return { port, cookies, server };
}

/** In `page`, opens a WebSocket to `url`, types `input` into it, and says how it went. */
function typeInto(page: Page, url: string, input: string): Promise<string> {
  return page.evaluate(([url, input]) =>
    new Promise<string>((resolve) => {
      const socket = new WebSocket(url);
      socket.onopen = () => {
        socket.send(input);
        setTimeout(() => resolve("open"), 1_000);
      };
      socket.onerror = () => resolve("refused");
    }), [url, input]);
}

/** Clicks a link to `url` in `page` (a navigation the browser marks as coming from the page). */
async function followLink(page: Page, url: string): Promise<number | undefined> {
  const response = page.waitForResponse((response) => response.url() === url);
  const loaded = page.waitForEvent("load");
  await page.evaluate((url) => {
    const link = document.createElement("a");
    link.href = url;
    document.body.append(link);
    link.click();
  }, url);
  const status = (await response).status();
  await loaded;
  return status;
}

/** A terminal started through Palot's proxy, as Palot's own page would. */
async function startTerminal(palot: RunningPalot, directory: string): Promise<string> {
  const response = await palot.fetch(`/api/opencode/pty?${query(directory)}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: "{}",
  });
  assert.equal(response.status, 200, await response.clone().text());
  return (await response.json()).id;
}

/** Palot's resident memory, in MB. */
async function rssMb(palot: RunningPalot): Promise<number> {
  const status = await Deno.readTextFile(`/proc/${palot.process.pid}/status`);
  return Number(/VmRSS:\s+(\d+)/.exec(status)![1]) / 1024;
}

/** Sends headers announcing a `length`-byte body, and a little of it; resolves with the status. */
async function announceBody(port: number, path: string, length: number): Promise<number> {
  const connection = await Deno.connect({ hostname: "127.0.0.1", port });
  const head = [
    `POST ${path} HTTP/1.1`,
    `Host: 127.0.0.1:${port}`,
    "Content-Type: application/json",
    `Content-Length: ${length}`,
  ].join("\r\n");
  await connection.write(new TextEncoder().encode(`${head}\r\n\r\n{"x":"`));
  const buffer = new Uint8Array(1024);
  const read = await connection.read(buffer);
  connection.close();
  return Number(
    /^HTTP\/1\.1 (\d+)/.exec(new TextDecoder().decode(buffer.subarray(0, read ?? 0)))?.[1],
  );
}

browserTest("security: what a web page, another port or a guesser can do to Palot", async () => {
  await using world = await OpencodeWorld.create();
  const project = await world.makeProject("victim");
  const plugged = await world.makeProject("plugged");
  const control = await world.makeProject("control");
  for (const folder of [plugged, control]) {
    await Deno.mkdir(join(folder, ".opencode", "plugin"), { recursive: true });
    await Deno.writeTextFile(join(folder, ".opencode", "plugin", "mark.js"), PLUGIN);
  }
  await Deno.writeTextFile(
    join(project, "evil.svg"),
    `<svg xmlns="http://www.w3.org/2000/svg"><script>fetch("/api/opencode/pty?directory=` +
      `${encodeURIComponent(project)}",{method:"POST",body:"{}"})</script></svg>`,
  );
  await using local = await startPalot(world);
  await using remote = await startPalot(world, { args: ["--hostname", "0.0.0.0"], token: TOKEN });
  const attacker = startAttacker();
  await using _attacker = attacker.server;
  const browser: Browser = await launchChromium([
    `--host-resolver-rules=MAP evil.example 127.0.0.1`,
  ]);
  const contexts: BrowserContext[] = [];
  const newPage = async () => {
    const context = await browser.newContext();
    contexts.push(context);
    return await context.newPage();
  };
  try {
    for (const palot of [local, remote]) {
      await waitFor(
        async () => (await (await palot.fetch("/api/opencode")).json()).status === "ready",
        {
          timeoutMs: 120_000,
          message: "OpenCode ready behind Palot",
        },
      );
    }
    const evilSite = `http://evil.example:${attacker.port}/`;
    const otherPort = `http://127.0.0.1:${attacker.port}/`;
    const wsUrl = (palot: RunningPalot, id: string) =>
      `ws://127.0.0.1:${palot.port}/api/opencode/pty/${id}/connect?${query(project)}`;

    // 1. A cross-site WebSocket to a terminal: refused before a byte reaches OpenCode.
    const terminal = await startTerminal(local, project);
    for (const origin of ["http://evil.example", `http://127.0.0.1:${attacker.port}`, undefined]) {
      const response = await requestAs(local.port, `127.0.0.1:${local.port}`, {
        path: `/api/opencode/pty/${terminal}/connect?${query(project)}`,
        headers: {
          upgrade: "websocket",
          connection: "Upgrade",
          "sec-websocket-version": "13",
          "sec-websocket-key": "dGhlIHNhbXBsZSBub25jZQ==",
          ...(origin ? { origin } : {}),
        },
      });
      assert.equal(response.status, 403, `a WebSocket from ${origin ?? "no Origin"}`);
    }
    // The same WebSocket with Palot's own Origin: refused for a foreign Host (loopback), and
    // without the token (token mode).
    const upgradeHeaders = {
      upgrade: "websocket",
      connection: "Upgrade",
      "sec-websocket-version": "13",
      "sec-websocket-key": "dGhlIHNhbXBsZSBub25jZQ==",
    };
    const rebound = await requestAs(local.port, `evil.example:${local.port}`, {
      path: `/api/opencode/pty/${terminal}/connect?${query(project)}`,
      headers: { ...upgradeHeaders, origin: `http://evil.example:${local.port}` },
    });
    assert.equal(rebound.status, 403, "a rebound name");
    const anonymous = await requestAs(remote.port, `127.0.0.1:${remote.port}`, {
      path: `/api/opencode/pty/${terminal}/connect?${query(project)}`,
      headers: { ...upgradeHeaders, origin: `http://127.0.0.1:${remote.port}` },
    });
    assert.equal(anonymous.status, 401, "no token");
    const attackerPage = await newPage();
    await attackerPage.goto(evilSite);
    const hijack = join(project, "hijacked-by-another-site");
    assert.equal(
      await typeInto(attackerPage, wsUrl(local, terminal), `touch ${hijack}\r`),
      "refused",
    );
    // Palot's own page: the terminal works.
    const ownPage = await newPage();
    await ownPage.goto(local.url);
    const typed = join(project, "typed-by-palot");
    assert.equal(await typeInto(ownPage, wsUrl(local, terminal), `touch ${typed}\r`), "open");
    await waitFor(() => exists(typed), { message: "the command typed from Palot's own page" });
    assert.equal(await exists(hijack), false, "the other site's command never ran");

    // In token mode, a page on another port of the same host (the cookie goes with it).
    const signedIn = await newPage();
    await signedIn.goto(`${remote.url}/?token=${TOKEN}`);
    await signedIn.waitForURL(`${remote.url}/`);
    const remoteTerminal = await startTerminal(remote, project);
    await signedIn.goto(otherPort);
    const sameHost = join(project, "hijacked-from-another-port");
    assert.equal(
      await typeInto(signedIn, wsUrl(remote, remoteTerminal), `touch ${sameHost}\r`),
      "refused",
    );

    // 4. The cookie that went to the other port is a session, never the token.
    const sent = attacker.cookies.join("; ");
    assert.match(sent, new RegExp(`palot_session_${remote.port}=`), "the browser's cookie");
    assert.ok(!sent.includes(TOKEN), "the token never leaves in a cookie");
    const [session] = (await signedIn.context().cookies(remote.url)).filter((cookie) =>
      cookie.name === `palot_session_${remote.port}`
    );
    assert.ok(session && session.value !== TOKEN && session.httpOnly);

    // 2. Files with an attacker's content are never active content on Palot's origin.
    const svgProbe = `/api/opencode/api/fs/read/evil.svg?location[directory]=${
      encodeURIComponent(project)
    }`;
    for (
      const path of [
        svgProbe,
        svgProbe.replace("evil.svg", "evil.xhtml"),
        `/api/opencode/api/fs/read/etc/passwd?location[directory]=/`,
        "/api/opencode/assets/index-abc123.js",
        "/api/opencode/",
        "/api/opencode/index.html",
      ]
    ) {
      const response = await local.fetch(path);
      assert.equal(response.status, 404, path);
      assert.match(response.headers.get("content-type") ?? "", /^application\/json/, path);
      await response.body?.cancel();
    }
    const content = await local.fetch(`/api/opencode/file/content?path=evil.svg&${query(project)}`);
    assert.equal(content.status, 200);
    assert.match(content.headers.get("content-type") ?? "", /^application\/json/);
    assert.equal(content.headers.get("x-content-type-options"), "nosniff");
    assert.match(content.headers.get("content-security-policy") ?? "", /sandbox/);
    assert.match((await content.json()).content, /<script>/, "the file, as data");
    const ptysBefore = (await (await local.fetch(`/api/opencode/pty?${query(project)}`)).json())
      .length;
    const followed = await followLink(attackerPage, `${local.url}${svgProbe}`);
    assert.equal(followed, 403, "another site's link to a file");
    await attackerPage.goto(evilSite);
    const typedPage = await newPage();
    const opened = await typedPage.goto(`${local.url}${svgProbe}`);
    assert.equal(opened?.status(), 404, "the same address typed by the user");
    await sleep(1_000);
    const ptysAfter = (await (await local.fetch(`/api/opencode/pty?${query(project)}`)).json())
      .length;
    assert.equal(ptysAfter, ptysBefore, "no script ran to start a terminal");

    // 3. A cross-site GET must not boot OpenCode in a folder (which runs its plugins).
    await attackerPage.evaluate((src) => {
      const image = document.createElement("img");
      image.src = src;
      document.body.append(image);
    }, `${local.url}/api/opencode/agent?${query(plugged)}`);
    for (const path of [`/new?${query(plugged)}`, `/settings?${query(plugged)}`]) {
      assert.equal(await followLink(attackerPage, `${local.url}${path}`), 403, path);
      await attackerPage.goto(evilSite);
    }
    assert.equal(await followLink(attackerPage, `${local.url}/`), 200, "a link to the home page");
    // The same request from Palot's own page loads the plugin (so its absence above means something).
    await ownPage.goto(local.url);
    const agents = await ownPage.evaluate(
      (path) => fetch(path).then((response) => response.status),
      `/api/opencode/agent?${query(control)}`,
    );
    assert.equal(agents, 200);
    await waitFor(() => exists(join(control, "loaded.txt")), {
      timeoutMs: 60_000,
      message: "the control folder's plugin, loaded for Palot's own page",
    });
    assert.equal(await exists(join(plugged, "loaded.txt")), false, "no other site booted it");
    const instances = (await (await local.fetch("/api/opencode")).json()).instances as {
      directory: string;
    }[];
    assert.ok(!instances.some((instance) => instance.directory === plugged));

    // 7. OpenCode's administrative endpoints do not pass (and answer at once).
    for (
      const [method, path] of [
        ["POST", "/global/upgrade"],
        ["POST", "/global/dispose"],
        ["GET", "/tui/control/next"],
        ["POST", "/tui/show-toast"],
        ["GET", "/experimental/console"],
        ["GET", "/global/config"],
      ]
    ) {
      const response = await local.fetch(`/api/opencode${path}`, {
        method,
        signal: AbortSignal.timeout(5_000),
      });
      assert.equal(response.status, 404, `${method} ${path}`);
      assert.match((await response.json()).error, /does not pass/);
    }

    // 8. Bodies are limited before they are read; Palot's memory stays where it was.
    const before = await rssMb(local);
    const statuses = await Promise.all(
      Array.from({ length: 8 }, () => announceBody(local.port, "/api/opencode/session", 100e6)),
    );
    assert.deepEqual(statuses, Array(8).fill(413));
    assert.equal(
      await announceBody(
        local.port,
        `/api/opencode/session/x/prompt_async?${query(project)}`,
        60e6,
      ),
      413,
      "a message over the attachments' limit",
    );
    assert.equal(await announceBody(local.port, "/settings/providers/x", 1e6), 413, "a form");
    assert.equal(await announceBody(local.port, "/api/presence", 1e6), 413, "a presence report");
    const afterBodies = await rssMb(local);
    assert.ok(afterBodies - before < 20, `bodies: ${Math.round(afterBodies - before)} MB more`);
    for (let tab = 0; tab < 3_000; tab++) {
      const report = { tab: `flood-${tab}`, directories: [`/flood/${"x".repeat(4_000)}`] };
      const response = await local.fetch("/api/presence", {
        method: "POST",
        body: JSON.stringify(report),
      });
      assert.equal(response.status, 204);
    }
    // (Before the limits: 8 bodies of 100 MB took 3.1 GB, 3,000 reports 311 MB.)
    const after = await rssMb(local);
    assert.ok(after - afterBodies < 100, `reports: ${Math.round(after - afterBodies)} MB more`);

    // 5. A new token ends every connection made with the old one, WebSockets too, quietly.
    const socket = new WebSocket(wsUrl(remote, remoteTerminal), {
      headers: { origin: remote.url, authorization: `Bearer ${TOKEN}` },
    } as unknown as string[]);
    await new Promise((resolve, reject) => {
      socket.onopen = resolve;
      socket.onerror = () => reject(new Error("the terminal's WebSocket did not open"));
    });
    const closed = new Promise<CloseEvent>((resolve) => socket.onclose = resolve);
    const events = await remote.fetch("/api/events");
    const stream = events.body!.getReader();
    await stream.read();
    const rotated = await remote.fetch("/api/token", {
      method: "POST",
      headers: { origin: remote.url },
      redirect: "manual",
    });
    assert.equal(rotated.status, 303);
    assert.equal((await closed).code, 1008, "the terminal closed at once");
    while (!(await stream.read()).done) { /* events before the end */ }
    const late = join(project, "typed-after-new-token");
    try {
      socket.send(`touch ${late}\r`);
    } catch { /* closed */ }
    await sleep(1_500);
    assert.equal(await exists(late), false, "nothing typed after the rotation ran");
    assert.ok(
      !remote.logs.some((line) => /AbortError/.test(line)),
      `a rotation is not an error:\n${remote.logs.join("\n")}`,
    );
    const newToken = /token=([^&\s]+)/.exec(
      remote.logs.findLast((line) => line.includes("?token="))!,
    )![1];
    assert.notEqual(newToken, TOKEN);

    // 9. After signing in, the redirect stays on Palot.
    const redirect = await requestAs(remote.port, `127.0.0.1:${remote.port}`, {
      path: `//evil.example/x?token=${newToken}`,
    });
    assert.equal(redirect.status, 303);
    assert.equal(redirect.headers.get("location"), "/evil.example/x");

    // 6. A valid credential wins; a bare token is none; guesses are throttled.
    const stale = await requestAs(remote.port, `127.0.0.1:${remote.port}`, {
      headers: {
        cookie: `palot_session_${remote.port}=${session.value}`,
        authorization: `Bearer ${newToken}`,
      },
    });
    assert.equal(stale.status, 200, "a valid Bearer over a stale cookie");
    const bare = await requestAs(remote.port, `127.0.0.1:${remote.port}`, {
      headers: { authorization: newToken },
    });
    assert.equal(bare.status, 401, "Authorization without Bearer");
    const guesses = [];
    for (let guess = 0; guess < 15; guess++) {
      guesses.push(
        await requestAs(remote.port, `127.0.0.1:${remote.port}`, {
          headers: { authorization: `Bearer guess-${guess}` },
        }),
      );
    }
    const throttled = guesses.filter((response) => response.status === 429);
    assert.ok(throttled.length >= 4, `${throttled.length} of 15 guesses throttled`);
    assert.match(throttled[0].headers.get("retry-after") ?? "", /^\d+$/);
    const short = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", join(import.meta.dirname!, "..", "main.ts"), "--token", "s3cret"],
      env: world.env,
      stdout: "piped",
      stderr: "piped",
    }).output();
    assert.equal(short.code, 2);
    assert.match(
      new TextDecoder().decode(short.stderr),
      /The token is 6 characters: use at least 16, for example --token \S{32}/,
    );
  } finally {
    for (const context of contexts) await context.close().catch(() => {});
    await browser.close();
  }
});
