/**
 * The `Copy` buttons of code blocks (rendered by `lib/client/ui/markdown.ts`), anywhere on the page,
 * also in the server-rendered history above the chat: one click listener on the document copies
 * the block's code and says `Copied` for two seconds. Where the Clipboard API is missing (a page
 * opened over plain HTTP from another machine), it selects the code and copies the selection.
 */

const COPIED_MS = 2_000;

async function copyText(code: HTMLElement): Promise<boolean> {
  const text = code.innerText;
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    const range = document.createRange();
    range.selectNodeContents(code);
    const selection = getSelection();
    selection?.removeAllRanges();
    selection?.addRange(range);
    return document.execCommand("copy");
  }
}

/**
 * Makes every `.code-copy` button work and shows them (`data-copy-ready` on `<html>`); returns
 * the function that undoes it.
 *
 * @example
 * ```ts
 * useEffect(() => installCodeCopy(), []);
 * ```
 */
export function installCodeCopy(): () => void {
  const onClick = async (event: MouseEvent) => {
    const target = event.target instanceof Element ? event.target : null;
    const button = target?.closest<HTMLButtonElement>(".code-copy");
    const code = button?.closest(".code-block")?.querySelector<HTMLElement>("pre");
    if (!button || !code) return;
    const copied = await copyText(code);
    button.textContent = copied ? "Copied" : "Copy failed";
    setTimeout(() => (button.textContent = "Copy"), COPIED_MS);
  };
  document.addEventListener("click", onClick);
  document.documentElement.dataset.copyReady = "";
  return () => {
    document.removeEventListener("click", onClick);
    delete document.documentElement.dataset.copyReady;
  };
}
