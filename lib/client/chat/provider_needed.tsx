/**
 * The note a new chat shows before its first Send when no provider of the user's own is connected
 * ({@linkcode needsProvider}): which provider and model would answer, that it needs the internet,
 * and a link to Settings. Shown beside the composer, where the user is about to write.
 */

import type { ToolbarData } from "../../common/toolbar_data.ts";

export function ProviderNeeded({ data, model }: { data: ToolbarData; model?: string }) {
  const [providerId, ...rest] = (model ?? "").split("/");
  const provider = data.providers.find((item) => item.id === providerId);
  const modelName = provider?.models.find((item) => item.id === rest.join("/"))?.name;
  return (
    <p class="setup-note" role="note">
      <strong>No model provider is connected yet.</strong> {provider
        ? `Replies would come from ${provider.name}${
          modelName ? ` (${modelName})` : ""
        }, free models that need the internet and may be busy. `
        : "No model can answer yet. "}
      Connect Anthropic, OpenAI or another provider in <a href="/settings">Settings</a>.
    </p>
  );
}
