/**
 * The connection indicator shown on every page: whether Palot's one OpenCode server is ready.
 * Server-rendered with the supervisor's status, then kept current by polling `/api/opencode`
 * while the tab is visible.
 */

import { useEffect, useState } from "preact/hooks";

export type OpencodeStatusName = "starting" | "ready" | "restarting" | "failed";

const LABELS: Record<OpencodeStatusName, string> = {
  starting: "Starting…",
  ready: "Connected",
  restarting: "Reconnecting…",
  failed: "Disconnected",
};

export default function ConnectionStatus(props: { status: OpencodeStatusName }) {
  const [status, setStatus] = useState<OpencodeStatusName | "unreachable">(props.status);
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = async () => {
      try {
        const response = await fetch("/api/opencode", { signal: AbortSignal.timeout(5000) });
        setStatus(((await response.json()) as { status: OpencodeStatusName }).status);
      } catch {
        setStatus("unreachable");
      }
      if (!document.hidden) timer = setTimeout(poll, 2000);
    };
    const onVisibility = () => {
      clearTimeout(timer);
      if (!document.hidden) poll();
    };
    poll();
    document.addEventListener("visibilitychange", onVisibility);
    return () => {
      clearTimeout(timer);
      document.removeEventListener("visibilitychange", onVisibility);
    };
  }, []);
  const label = status === "unreachable" ? "Disconnected" : LABELS[status];
  return (
    <span class={`connection connection-${status}`} role="status" aria-live="polite">
      <span class="dot" aria-hidden="true" />
      {label}
    </span>
  );
}
