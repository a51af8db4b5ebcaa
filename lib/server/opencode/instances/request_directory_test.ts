import assert from "node:assert/strict";
import { requestDirectory } from "./request_directory.ts";

Deno.test("requestDirectory reads the query or the SDK's encoded header, normalised", () => {
  const at = (query: string, headers: Record<string, string> = {}) =>
    requestDirectory(new Request(`http://palot/api/opencode/agent${query}`, { headers }));
  assert.equal(at("?directory=%2Fhome%2Fme%2Fapp%2F"), "/home/me/app");
  assert.equal(
    at("", { "x-opencode-directory": encodeURIComponent("/home/me/a b/../app") }),
    "/home/me/app",
  );
  assert.equal(at("?directory=relative/path"), undefined);
  assert.equal(at(""), undefined);
});
