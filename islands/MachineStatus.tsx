/**
 * A machine's status in words (`Online`, `Connecting…`, `Offline: <why> (last seen …)`), kept
 * current from the machine's `palot.server` events: the home page's machine headings and Settings
 * → Servers follow a server going away and coming back without a reload.
 */

import { machineStates } from "../lib/client/live/page_events.ts";
import { type MachineState, statusWords } from "../lib/common/machine_status.ts";
import { IS_BROWSER } from "../lib/client/ui/is_browser.ts";

export default function MachineStatus(props: { server: string; initial: MachineState }) {
  const status = IS_BROWSER ? machineStates.value[props.server] ?? props.initial : props.initial;
  return (
    <span class={`machine-status ${status.state}`} data-machine-status role="status">
      {statusWords(status)}
    </span>
  );
}
