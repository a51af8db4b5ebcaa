/**
 * What a message on a terminal's WebSocket means. OpenCode sends the terminal's output as text
 * frames (a new connection first gets the recent output again) and, between them, a control frame
 * `\0{"cursor":N}`: a NUL byte then JSON, never output. Shared by the browser's terminal and its
 * tests; pure.
 */

/**
 * The output a message carries, or `undefined` for a control frame. Binary output (not UTF-8) is
 * passed on as bytes for the terminal to show.
 *
 * @example
 * ```ts
 * ptyOutput("ls\r\n"); // "ls\r\n"
 * ptyOutput(new TextEncoder().encode('\0{"cursor":3}').buffer); // undefined
 * ```
 */
export function ptyOutput(data: string | ArrayBuffer): string | Uint8Array | undefined {
  if (typeof data === "string") return data.startsWith("\0") ? undefined : data;
  const bytes = new Uint8Array(data);
  return bytes[0] === 0 ? undefined : bytes;
}
