/**
 * One HTTP/1.1 request over a raw loopback socket, for tests that must send the `Host` header a
 * remote browser would (`fetch` always sends the URL's own). It only ever connects to 127.0.0.1.
 *
 * @example
 * ```ts
 * const response = await requestAs(palot.port, "192.0.2.2:3220", { path: "/?token=t" });
 * ```
 */

export interface RawRequest {
  method?: string;
  path?: string;
  headers?: Record<string, string>;
  body?: string;
}

export interface RawResponse {
  status: number;
  headers: Headers;
  body: string;
}

/** Sends one request to `127.0.0.1:port` with `Host: host` and reads the whole response. */
export async function requestAs(
  port: number,
  host: string,
  { method = "GET", path = "/", headers = {}, body = "" }: RawRequest = {},
): Promise<RawResponse> {
  const lines = [`${method} ${path} HTTP/1.1`, `Host: ${host}`, "Connection: close"];
  for (const [name, value] of Object.entries(headers)) lines.push(`${name}: ${value}`);
  if (body || method !== "GET") {
    lines.push(`Content-Length: ${new TextEncoder().encode(body).length}`);
  }
  const connection = await Deno.connect({ hostname: "127.0.0.1", port });
  await connection.write(new TextEncoder().encode(lines.join("\r\n") + "\r\n\r\n" + body));
  const raw = new Uint8Array(await new Response(connection.readable).arrayBuffer());
  const latin1 = (bytes: Uint8Array) => String.fromCharCode(...bytes);
  const split = latin1(raw.subarray(0, 16_384)).indexOf("\r\n\r\n");
  const [statusLine, ...headerLines] = latin1(raw.subarray(0, split)).split("\r\n");
  const responseHeaders = new Headers();
  for (const line of headerLines) {
    const colon = line.indexOf(":");
    responseHeaders.append(line.slice(0, colon).trim(), line.slice(colon + 1).trim());
  }
  let content: Uint8Array<ArrayBufferLike> = raw.subarray(split + 4);
  if (responseHeaders.get("transfer-encoding") === "chunked") content = unchunk(content);
  return {
    status: Number(statusLine.split(" ")[1]),
    headers: responseHeaders,
    body: new TextDecoder().decode(content),
  };
}

/** Decodes a chunked body. */
function unchunk(bytes: Uint8Array): Uint8Array<ArrayBufferLike> {
  const parts: number[] = [];
  let at = 0;
  while (at < bytes.length) {
    let end = at;
    while (end < bytes.length && bytes[end] !== 13) end++;
    const size = parseInt(String.fromCharCode(...bytes.subarray(at, end)), 16);
    if (!size) break;
    parts.push(...bytes.subarray(end + 2, end + 2 + size));
    at = end + 2 + size + 2;
  }
  return new Uint8Array(parts);
}
