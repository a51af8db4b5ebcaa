/**
 * The live line at the end of a running turn: what the agent is doing now (`Thinking…`,
 * `Running bash: npm test`, `Waiting for you`; the words come from `doingNow` in
 * `lib/common/activity.ts`) and how long the turn has run, ticking each second.
 */

import { useEffect, useState } from "preact/hooks";

/** "8 s", "2 min 05 s". */
export function elapsedText(ms: number): string {
  const seconds = Math.max(0, Math.floor(ms / 1000));
  if (seconds < 60) return `${seconds} s`;
  return `${Math.floor(seconds / 60)} min ${String(seconds % 60).padStart(2, "0")} s`;
}

export function WorkingLine({ doing, since }: { doing: string; since: number }) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  const waiting = doing === "Waiting for you";
  return (
    <p class={`working-line${waiting ? " waiting" : ""}`} data-working="">
      <span class="working-dot" aria-hidden="true" />
      <span class="working-doing" role="status">{doing}</span>
      <span class="working-time" aria-hidden="true">{elapsedText(now - since)}</span>
    </p>
  );
}
