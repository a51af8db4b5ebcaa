import assert from "node:assert/strict";
import { join } from "node:path";
import { appOver } from "../testing/app_over.ts";

const LEGACY = join(import.meta.dirname!, "..", "lib", "server", "discovery", "testdata", "legacy");

Deno.test("POST /theme remembers the theme and the next page is rendered in it", async () => {
  using palot = appOver(LEGACY);
  const post = (body: Record<string, string>) =>
    palot.app.fetch(
      new Request("http://127.0.0.1:3100/theme", {
        method: "POST",
        body: new URLSearchParams(body),
        headers: { host: "127.0.0.1:3100", origin: "http://127.0.0.1:3100" },
      }),
    );
  const chosen = await post({ theme: "dark", back: "/project/prj_app?page=1" });
  assert.equal(chosen.status, 303);
  assert.equal(chosen.headers.get("location"), "/project/prj_app?page=1");
  const cookie = chosen.headers.get("set-cookie") ?? "";
  assert.match(cookie, /^palot_theme=dark;.*Max-Age=31536000/);
  const page = await palot.app.fetch(
    new Request("http://127.0.0.1:3100/project/prj_app", {
      headers: { host: "127.0.0.1:3100", cookie: cookie.split(";")[0] },
    }),
  );
  const html = await page.text();
  assert.match(html, /<html lang="en" data-theme="dark">/);
  assert.match(html, /<meta name="color-scheme" content="dark">/);
  assert.match(html, /aria-label="Theme"[\s\S]*value="dark"[^>]*aria-pressed="true"/);

  // Only a path on this site to go back to; an unknown theme is the system's.
  for (const back of ["https://example.com/", "//example.com/", "/\\example.com", ""]) {
    const response = await post({ theme: "light", back });
    assert.equal(response.headers.get("location"), "/", back);
  }
  const unknown = await post({ theme: "purple", back: "/" });
  assert.match(unknown.headers.get("set-cookie") ?? "", /^palot_theme=system;/);
  const plain = await (await palot.fetch("/")).text();
  assert.match(plain, /data-theme="system"/);
  assert.match(plain, /<meta name="color-scheme" content="light dark">/);
});
