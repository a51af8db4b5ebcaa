/** A `<time>` element showing a relative time, with the exact time as its tooltip. */

import { isoTime, relativeTime } from "./format.ts";

export function Time({ at }: { at: number }) {
  const iso = isoTime(at);
  if (!iso) return <span>never</span>;
  return <time datetime={iso} title={new Date(at).toUTCString()}>{relativeTime(at)}</time>;
}
