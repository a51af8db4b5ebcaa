import assert from "node:assert/strict";
import { Hono } from "hono";
import { join } from "node:path";
import { staticFiles } from "./static_files.ts";

Deno.test("staticFiles serves files under the root and nothing outside it", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.mkdir(join(dir, "static", "build"), { recursive: true });
    await Deno.writeTextFile(join(dir, "static", "app.css"), "body{}");
    await Deno.writeTextFile(join(dir, "static", "build", "Chat-AB12CD34.js"), "export {}");
    await Deno.writeTextFile(join(dir, "secret.txt"), "do not serve");
    const app = new Hono();
    app.use("/static/*", staticFiles(join(dir, "static")));
    const css = await app.request("/static/app.css");
    assert.equal(css.status, 200);
    assert.equal(css.headers.get("content-type"), "text/css; charset=utf-8");
    assert.equal(await css.text(), "body{}");
    assert.equal(css.headers.get("cache-control"), "no-cache");
    const chunk = await app.request("/static/build/Chat-AB12CD34.js");
    assert.equal(chunk.headers.get("content-type"), "text/javascript; charset=utf-8");
    assert.equal(chunk.headers.get("cache-control"), "public, max-age=31536000, immutable");
    for (
      const path of [
        "/static/../secret.txt",
        "/static/%2e%2e/secret.txt",
        "/static/%2E%2E%2Fsecret.txt",
        "/static/..%2fsecret.txt",
        "/static/build/%2e%2e/%2e%2e/secret.txt",
        "/static/%00",
        "/static/%E0%A4%A",
        "/static/missing.css",
        "/static/build",
      ]
    ) {
      const response = await app.request(path);
      assert.equal(response.status, 404, path);
      assert.ok(!(await response.text()).includes("do not serve"), path);
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
