/**
 * A machine's connection status in words: `Online`, `Connecting`, or `Offline` with the reason
 * and when it was last seen. Rendered on the server (Settings, the home page's machine headings);
 * the home page's `MachineStatuses` island keeps it current.
 */

import type { ServerStatus } from "../../lib/server/remote/remote_server.ts";
import { statusWords } from "../../lib/common/machine_status.ts";

export function MachineStatus({ status }: { status: ServerStatus }) {
  return (
    <span class={`machine-status ${status.state}`} data-machine-status>
      {statusWords(status)}
    </span>
  );
}
