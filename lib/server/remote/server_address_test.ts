import assert from "node:assert/strict";
import { normalizeAddress, refuseSelf, ServerInputError } from "./server_address.ts";

Deno.test("a server address is written one way, and bad ones say the fix", () => {
  assert.equal(normalizeAddress(" http://10.0.0.5:4096/ "), "http://10.0.0.5:4096");
  assert.equal(normalizeAddress("HTTPS://Box.example"), "https://box.example");
  const refused = (input: string, words: RegExp) =>
    assert.throws(() => normalizeAddress(input), (error: Error) => {
      assert.ok(error instanceof ServerInputError);
      assert.match(error.message, words);
      return true;
    });
  refused("", /Enter the server's address/);
  refused("10.0.0.5:4096", /no scheme: write http:\/\/10\.0\.0\.5:4096/);
  refused("ftp://box:21", /Only http:\/\/ and https:\/\//);
  refused("http://opencode:secret@box:4096", /Password field/);
  refused("http://box:4096/api", /without a path: http:\/\/box:4096/);
});

Deno.test("an address that is Palot itself is refused; another port is not", () => {
  const palot = { port: 3100, hostname: "127.0.0.1" };
  for (const address of ["http://127.0.0.1:3100", "http://localhost:3100", "http://[::1]:3100"]) {
    assert.throws(() => refuseSelf(address, palot), /is Palot itself/);
  }
  refuseSelf("http://127.0.0.1:4096", palot);
  refuseSelf("http://192.0.2.10:3100", palot);
});
