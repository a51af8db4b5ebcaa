/**
 * A small server-sent-events reader for tests: reads `id`/`data` messages from a streaming
 * response into an array as they arrive, so a test can wait for one and look at the order.
 */

export interface SseMessage {
  id?: string;
  data: string;
  /** `data` parsed as JSON. */
  json: { directory: string; payload: { type: string; properties?: Record<string, unknown> } };
}

export interface SseReader {
  messages: SseMessage[];
  /** Cancels the stream and waits for the reader to finish. */
  close(): Promise<void>;
}

/** Starts reading `response`'s body as SSE in the background. */
export function readSse(response: Response): SseReader {
  const messages: SseMessage[] = [];
  const reader = response.body!.getReader();
  const done = (async () => {
    const decoder = new TextDecoder();
    let buffer = "";
    try {
      while (true) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += decoder.decode(value, { stream: true });
        let boundary;
        while ((boundary = buffer.indexOf("\n\n")) >= 0) {
          const block = buffer.slice(0, boundary);
          buffer = buffer.slice(boundary + 2);
          let id: string | undefined;
          const data: string[] = [];
          for (const line of block.split("\n")) {
            if (line.startsWith("id: ")) id = line.slice(4);
            else if (line.startsWith("data: ")) data.push(line.slice(6));
          }
          if (data.length) {
            messages.push({ id, data: data.join("\n"), json: JSON.parse(data.join("\n")) });
          }
        }
      }
    } catch { /* cancelled */ }
  })();
  return {
    messages,
    close: async () => {
      await reader.cancel().catch(() => {});
      await done;
    },
  };
}
