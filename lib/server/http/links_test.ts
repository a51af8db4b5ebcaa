import assert from "node:assert/strict";
import { linkTo, localLink, readyLines, remoteAddresses } from "./links.ts";

const interfaces: Pick<Deno.NetworkInterfaceInfo, "family" | "address">[] = [
  { family: "IPv4", address: "127.0.0.1" },
  { family: "IPv6", address: "::1" },
  { family: "IPv6", address: "fd00::2" },
  { family: "IPv6", address: "fe80::fc:ff:fe00:1" },
  { family: "IPv4", address: "192.0.2.2" },
  { family: "IPv4", address: "198.51.100.7" },
];

Deno.test("remoteAddresses: every non-loopback address for a wildcard, never 0.0.0.0", () => {
  assert.deepEqual(remoteAddresses("0.0.0.0", interfaces), ["192.0.2.2", "198.51.100.7"]);
  assert.deepEqual(remoteAddresses("::", interfaces), ["192.0.2.2", "198.51.100.7", "fd00::2"]);
  assert.deepEqual(remoteAddresses("192.0.2.2", interfaces), ["192.0.2.2"]);
  assert.deepEqual(remoteAddresses("127.0.0.1", interfaces), []);
  assert.deepEqual(remoteAddresses("localhost", interfaces), []);
});

Deno.test("links carry the port and the token, with IPv6 in brackets", () => {
  assert.equal(linkTo("192.0.2.2", 3220, "s3 cret"), "http://192.0.2.2:3220/?token=s3%20cret");
  assert.equal(linkTo("fd00::2", 3220), "http://[fd00::2]:3220/");
  assert.equal(localLink({ hostname: "127.0.0.1", port: 3100 }), "http://127.0.0.1:3100");
  assert.equal(
    localLink({ hostname: "0.0.0.0", port: 3220, token: "t" }),
    "http://127.0.0.1:3220/?token=t",
  );
});

Deno.test("readyLines: a link per address for other devices and a QR code of the first", () => {
  const lines = readyLines({ hostname: "0.0.0.0", port: 3220, token: "s3cret" }, interfaces);
  assert.equal(lines[0], "Palot ready at http://127.0.0.1:3220/?token=s3cret");
  assert.ok(lines.includes("  http://192.0.2.2:3220/?token=s3cret"));
  assert.ok(lines.includes("  http://198.51.100.7:3220/?token=s3cret"));
  assert.ok(!lines.join("\n").includes("0.0.0.0"));
  const qr = lines.at(-1)!.split("\n");
  assert.ok(qr.length > 10 && qr.every((row) => /^[ █▀▄]+$/.test(row)), "a QR code in blocks");
  assert.match(lines.at(-2)!, /192\.0\.2\.2/);

  assert.deepEqual(readyLines({ hostname: "127.0.0.1", port: 3100 }, interfaces), [
    "Palot ready at http://127.0.0.1:3100",
  ]);
  const alone = readyLines({ hostname: "0.0.0.0", port: 1, token: "t" }, interfaces.slice(0, 2));
  assert.match(alone.at(-1)!, /No network address found/);
});
