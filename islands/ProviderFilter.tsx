/**
 * Settings → Providers: `Filter providers` narrows the list as you type (a provider's name or id
 * containing the text), hiding the groups left empty and saying when nothing matches. The list is
 * the server's; this only shows or hides its entries (`[data-provider-name]`), so without
 * JavaScript every provider is listed and the field is not shown.
 */

import { useEffect, useState } from "preact/hooks";

export default function ProviderFilter() {
  const [ready, setReady] = useState(false);
  const [text, setText] = useState("");
  const [matches, setMatches] = useState<number>();
  useEffect(() => setReady(true), []);
  useEffect(() => {
    if (!ready) return;
    const needle = text.trim().toLowerCase();
    let shown = 0;
    for (const entry of document.querySelectorAll<HTMLElement>("[data-provider-name]")) {
      const visible = !needle || entry.dataset.providerName!.includes(needle);
      entry.hidden = !visible;
      if (visible) shown++;
    }
    for (const group of document.querySelectorAll<HTMLElement>("[data-provider-group]")) {
      group.hidden = !group.querySelector("[data-provider-name]:not([hidden])");
    }
    setMatches(needle ? shown : undefined);
  }, [text, ready]);
  if (!ready) return null;
  return (
    <div class="provider-filter">
      <input
        type="search"
        aria-label="Filter providers"
        placeholder="Filter providers (Anthropic, OpenAI…)"
        value={text}
        onInput={(event) => setText(event.currentTarget.value)}
      />
      {matches === 0 && <p class="muted" role="status">No provider matches “{text.trim()}”.</p>}
    </div>
  );
}
