/** A session's live status as words (not colour alone): busy, idle, retry, error, and "needs you". */

export type StatusName = "idle" | "busy" | "retry" | "error";

export function StatusBadge({ status, waiting = 0 }: { status: StatusName; waiting?: number }) {
  return (
    <>
      <span class={`badge ${status}`}>{status}</span>
      {waiting > 0 && <span class="badge waiting">needs you</span>}
    </>
  );
}
