/**
 * A minimal MCP server over stdio (newline-delimited JSON-RPC) with no tools: enough for the real
 * opencode to connect to it, so tests can see an MCP server `connected` and disconnect it. Run it
 * as a local MCP server; {@linkcode fakeMcpConfig} gives the config entry.
 */

/** An opencode `mcp` config entry that runs this server. */
export function fakeMcpConfig() {
  return { type: "local", command: [Deno.execPath(), "run", import.meta.filename!] };
}

const encoder = new TextEncoder();
const write = (message: unknown) =>
  Deno.stdout.write(encoder.encode(JSON.stringify(message) + "\n"));

const results: Record<string, (params: Record<string, unknown>) => unknown> = {
  initialize: (params) => ({
    protocolVersion: params.protocolVersion ?? "2025-06-18",
    capabilities: { tools: {} },
    serverInfo: { name: "palot-fake-mcp", version: "1.0.0" },
  }),
  "tools/list": () => ({ tools: [] }),
  "prompts/list": () => ({ prompts: [] }),
  "resources/list": () => ({ resources: [] }),
  ping: () => ({}),
};

async function serve() {
  let buffer = "";
  for await (const chunk of Deno.stdin.readable.pipeThrough(new TextDecoderStream())) {
    buffer += chunk;
    let newline;
    while ((newline = buffer.indexOf("\n")) >= 0) {
      const line = buffer.slice(0, newline).trim();
      buffer = buffer.slice(newline + 1);
      if (!line) continue;
      const message = JSON.parse(line) as {
        id?: number | string;
        method: string;
        params?: Record<string, unknown>;
      };
      if (message.id === undefined) continue; // a notification
      const result = results[message.method];
      await write(
        result ? { jsonrpc: "2.0", id: message.id, result: result(message.params ?? {}) } : {
          jsonrpc: "2.0",
          id: message.id,
          error: { code: -32601, message: "Method not found" },
        },
      );
    }
  }
}

if (import.meta.main) await serve();
