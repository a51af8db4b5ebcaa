/**
 * A machine's connection status for a page: the `MachineStatus` island (kept current from the
 * machine's events), with what Palot knows now as its first paint.
 */

import type { RemoteServer } from "../../lib/server/remote/remote_server.ts";
import { MachineStatus as LiveStatus } from "../../islands/mod.ts";

export function MachineStatus({ server }: { server: Pick<RemoteServer, "id" | "status"> }) {
  return <LiveStatus server={server.id} initial={server.status} />;
}
