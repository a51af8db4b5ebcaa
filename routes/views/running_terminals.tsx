/**
 * A project page's `Terminals` section: the terminals still running in the project's folder (each
 * keeps its OpenCode instance), each with `End` (a form posted to
 * `<base>/terminals/<ptyId>/end`), and what went wrong ending one. The same for this machine's
 * projects and another's.
 */

import { plural } from "../../lib/client/ui/format.ts";

/** The terminals running in the project's folder, each with `End`; nothing when none runs. */
export function RunningTerminalsSection(
  { base, terminals, problem }: {
    base: string;
    terminals: { id: string; title: string }[];
    problem?: string;
  },
) {
  if (terminals.length === 0 && !problem) return null;
  return (
    <section class="running-terminals" id="terminals" aria-labelledby="terminals-title">
      <h2 id="terminals-title">Terminals</h2>
      {problem && <p class="field-error" role="alert">{problem}</p>}
      {terminals.length > 0 && (
        <>
          <p class="muted">
            {plural(terminals.length, "terminal")}{" "}
            still running in this folder (they keep its OpenCode instance).
          </p>
          <ul>
            {terminals.map((terminal) => (
              <li key={terminal.id}>
                <span>{terminal.title}</span>{" "}
                <form
                  method="post"
                  action={`${base}/terminals/${encodeURIComponent(terminal.id)}/end`}
                >
                  <button type="submit" class="button" aria-label={`End ${terminal.title}`}>
                    End
                  </button>
                </form>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
