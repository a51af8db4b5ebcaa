/**
 * The connection indicator on every page: whether Palot reaches its one OpenCode server. It opens
 * the tab's event stream (shared by every island) and follows the store's `server` signal.
 */

import { useEffect } from "preact/hooks";
import { connectEvents } from "../lib/client/live/connection.ts";
import { server } from "../lib/client/live/store.ts";
import { Icon, wifi, wifiOff } from "../lib/client/ui/icons.tsx";
import { IS_BROWSER } from "../lib/client/ui/is_browser.ts";

const LABELS = {
  connecting: "Reconnecting…",
  connected: "Connected",
  reconnecting: "Reconnecting…",
  disconnected: "Disconnected",
} as const;

export default function ConnectionStatus(props: { connected: boolean }) {
  if (IS_BROWSER && server.peek().status === "connecting" && props.connected) {
    server.value = { connected: true, status: "connected" };
  }
  useEffect(() => {
    connectEvents();
  }, []);
  const status = IS_BROWSER ? server.value.status : props.connected ? "connected" : "reconnecting";
  return (
    <span class={`connection connection-${status}`} role="status" aria-live="polite">
      <Icon svg={status === "connected" ? wifi : wifiOff} />
      <span class="connection-label">{LABELS[status]}</span>
    </span>
  );
}
