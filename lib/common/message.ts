/**
 * A message with its parts, in OpenCode's own types (the SDK's `Message` and `Part`): as
 * `session.messages` returns it, as discovery reads it from `opencode.db`, as the server renders it
 * and as the browser's store holds it. One type from storage to screen, so no side casts.
 */

import type { Message, Part } from "@opencode-ai/sdk/v2/client";

export interface MessageWithParts {
  info: Message;
  parts: Part[];
}
