/**
 * `Export`'s download: the session and all its messages read from OpenCode, made into a file by
 * `session_export.ts` (loaded on first use) and saved by the browser.
 */

import { getProjectClient } from "../live/clients.ts";
import type { ExportFormat } from "./session_export.ts";

export async function downloadSession(
  directory: string,
  sessionID: string,
  format: ExportFormat,
): Promise<void> {
  const client = getProjectClient(directory);
  const [module, session, messages] = await Promise.all([
    import("./session_export.ts"),
    client.session.get({ sessionID }),
    client.session.messages({ sessionID }),
  ]);
  if (!session.data || !messages.data) {
    const status = (session.data ? messages : session).response?.status;
    throw new Error(status ? `OpenCode answered ${status}; try again` : "OpenCode did not answer");
  }
  const body = format === "json"
    ? module.sessionJson(session.data, messages.data)
    : module.sessionMarkdown(session.data, messages.data);
  const url = URL.createObjectURL(
    new Blob([body], { type: format === "json" ? "application/json" : "text/markdown" }),
  );
  const link = document.createElement("a");
  link.href = url;
  link.download = module.exportName(session.data, format);
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
