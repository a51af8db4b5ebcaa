/**
 * A part of the pane whose code loads when it is first shown (the Files tab, the terminal, the
 * sub-agents), so a session page's JavaScript is the chat's until the pane is used.
 */

import type { ComponentChildren } from "preact";
import { useEffect, useState } from "preact/hooks";

export function LazyPanel<T>(
  { load, render }: { load(): Promise<T>; render(module: T): ComponentChildren },
) {
  const [module, setModule] = useState<T>();
  const [problem, setProblem] = useState("");
  useEffect(() => {
    load().then(setModule, (error) => setProblem((error as Error).message));
  }, []);
  if (problem) {
    return (
      <p class="pane-error" role="alert">
        This tab could not load ({problem}); Palot may have been updated: reload the page.
      </p>
    );
  }
  return module ? <>{render(module)}</> : <p class="muted pane-empty">Loading…</p>;
}
