import assert from "node:assert/strict";
import { ptyOutput } from "./pty_output.ts";

Deno.test("ptyOutput: text and bytes are output, a NUL-led control frame is not", () => {
  assert.equal(ptyOutput("hello\r\n"), "hello\r\n");
  assert.equal(ptyOutput('\0{"cursor":164}'), undefined);
  assert.equal(ptyOutput(new TextEncoder().encode('\0{"cursor":0}').buffer), undefined);
  const invalid = new Uint8Array([0xff, 0xfe, 0x41]);
  assert.deepEqual(ptyOutput(invalid.buffer), invalid, "invalid UTF-8 is shown, not thrown");
  assert.equal(ptyOutput(""), "");
});
