/**
 * A session's facts on its page: the context the last reply used against its model's limit (from
 * `config.providers`), what the session cost, and `Compact` (`session.summarize` with the
 * toolbar's model), which shows its progress until OpenCode has written the summary.
 */

import { useEffect, useState } from "preact/hooks";
import type { Signal } from "@preact/signals";
import type { Message } from "@opencode-ai/sdk/v2/client";
import { getProjectClient } from "../live/clients.ts";
import type { MessageEntry, SessionEntry } from "../live/store.ts";
import { formatCost } from "../ui/format.ts";

export interface SessionFactsProps {
  directory: string;
  sessionId: string;
  entry: SessionEntry | undefined;
  list: Signal<MessageEntry[]>;
  /** The toolbar's model, `providerID/modelID`. */
  model?: string;
  busy: boolean;
}

const limits = new Map<string, Promise<Record<string, number>>>();

/** Context limits by `providerID/modelID` for a directory, read once per page. */
function contextLimits(directory: string): Promise<Record<string, number>> {
  let known = limits.get(directory);
  if (!known) {
    known = getProjectClient(directory).config.providers({}, { throwOnError: true }).then(
      ({ data }) =>
        Object.fromEntries(
          data.providers.flatMap((provider) =>
            Object.values(provider.models).map((model) => [
              `${provider.id}/${model.id}`,
              model.limit?.context ?? 0,
            ])
          ),
        ),
    ).catch(() => {
      limits.delete(directory);
      return {};
    });
    limits.set(directory, known);
  }
  return known;
}

/** Tokens the last reply's request and answer took, and the model it used. */
export function contextUsed(messages: Message[]): { tokens: number; model: string } | undefined {
  for (let index = messages.length - 1; index >= 0; index--) {
    const info = messages[index];
    if (info.role !== "assistant" || !info.tokens) continue;
    const { input, output, reasoning, cache } = info.tokens;
    const tokens = input + output + (reasoning ?? 0) + (cache?.read ?? 0) + (cache?.write ?? 0);
    if (tokens > 0) return { tokens, model: `${info.providerID}/${info.modelID}` };
  }
  return undefined;
}

/**
 * Context used, cost, and `Compact`.
 *
 * @example
 * ```tsx
 * <SessionFacts directory={dir} sessionId={id} entry={entry} list={list} model={model} busy={false} />
 * ```
 */
export function SessionFacts(props: SessionFactsProps) {
  const { directory, sessionId, entry } = props;
  const [limitsByModel, setLimits] = useState<Record<string, number>>({});
  const [compacting, setCompacting] = useState(false);
  const [notice, setNotice] = useState("");
  useEffect(() => {
    contextLimits(directory).then(setLimits);
  }, [directory]);
  const infos = props.list.value.map((message) => message.info.value);
  const used = contextUsed(infos);
  const limit = used ? limitsByModel[used.model] : 0;
  const cost = entry?.info?.cost ??
    infos.reduce((sum, info) => sum + (info.role === "assistant" ? info.cost ?? 0 : 0), 0);
  const inProgress = compacting || Boolean(entry?.info?.time.compacting);

  const compact = async () => {
    const [providerID, ...rest] = (props.model ?? used?.model ?? "").split("/");
    if (!providerID || rest.length === 0) {
      return setNotice("Choose a model in the toolbar first: it writes the summary");
    }
    setCompacting(true);
    setNotice("");
    try {
      const { response, error } = await getProjectClient(directory).session.summarize({
        sessionID: sessionId,
        providerID,
        modelID: rest.join("/"),
      });
      if (response.status === 409) {
        setNotice("The agent is working: stop it first, then Compact");
      } else if (!response.ok) {
        const message = (error as { data?: { message?: string } } | undefined)?.data?.message;
        setNotice(`Could not compact: ${message ?? `OpenCode answered ${response.status}`}`);
      } else setNotice("Compacted: the model now reads the summary instead of the earlier history");
    } catch (reason) {
      setNotice(`Could not compact: ${(reason as Error)?.message ?? reason}`);
    } finally {
      setCompacting(false);
    }
  };

  return (
    <div class="session-facts" role="group" aria-label="Session facts">
      <span class="fact">
        Context {used
          ? `${used.tokens.toLocaleString("en")}${
            limit
              ? ` of ${limit.toLocaleString("en")} tokens (${
                Math.round((used.tokens / limit) * 100)
              }%)`
              : " tokens"
          }`
          : "not used yet"}
      </span>
      <span class="fact">Cost {formatCost(cost) || "$0"}</span>
      <button
        type="button"
        class="button small"
        disabled={inProgress || props.busy}
        title="Summarize the history so far, so the model reads the summary instead"
        onClick={compact}
      >
        Compact
      </button>
      {inProgress && (
        <span class="compacting" role="status">
          <progress aria-label="Compacting" /> Compacting the session…
        </span>
      )}
      {notice && !inProgress && <span class="fact-notice" role="status">{notice}</span>}
    </div>
  );
}
