/**
 * The message box: a textarea labelled `Message`, Enter to send and Shift+Enter for a new line, a
 * `Send` button, and `Stop` while the agent works. The draft of each session is kept in local
 * storage as it is typed, so it survives navigation, reloads and refused sends.
 */

import type { Ref } from "preact";
import { useEffect, useState } from "preact/hooks";
import { Icon, send, square } from "../icons.tsx";

export interface ComposerProps {
  textareaRef?: Ref<HTMLTextAreaElement>;
  /** Local-storage key of this chat's draft. */
  draftKey: string;
  busy: boolean;
  /** Sends the text; resolves `true` when it was accepted (the draft is then cleared). */
  onSend(text: string): Promise<boolean>;
  onStop(): void;
  /** A message for the user about the last attempt (for example why nothing was sent). */
  notice?: string;
  /**
   * Focus the box when the page loads; the browser then scrolls it, and the latest message just
   * above it, into view before any script runs.
   */
  autoFocus?: boolean;
}

function readDraft(key: string): string {
  try {
    return localStorage.getItem(key) ?? "";
  } catch {
    return "";
  }
}

function writeDraft(key: string, text: string): void {
  try {
    if (text) localStorage.setItem(key, text);
    else localStorage.removeItem(key);
  } catch { /* storage disabled: the draft lives as long as the page */ }
}

export function Composer(
  { textareaRef, draftKey, busy, onSend, onStop, notice, autoFocus }: ComposerProps,
) {
  const [text, setText] = useState("");
  const [sending, setSending] = useState(false);
  useEffect(() => {
    setText((current) => current || readDraft(draftKey));
  }, [draftKey]);

  const submit = async () => {
    if (!text.trim() || sending) return;
    const key = draftKey;
    setSending(true);
    const sent = await onSend(text);
    setSending(false);
    if (sent) {
      setText("");
      writeDraft(key, "");
    }
  };

  return (
    <form
      class="composer"
      onSubmit={(event) => {
        event.preventDefault();
        submit();
      }}
    >
      <label for="composer-message" class="composer-label">Message</label>
      <textarea
        id="composer-message"
        ref={textareaRef}
        rows={3}
        autoFocus={autoFocus}
        value={text}
        placeholder="Ask the agent… (Enter to send, Shift+Enter for a new line)"
        onInput={(event) => {
          setText(event.currentTarget.value);
          writeDraft(draftKey, event.currentTarget.value);
        }}
        onKeyDown={(event) => {
          if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
            event.preventDefault();
            submit();
          }
        }}
      />
      <div class="composer-actions">
        {notice && <p class="composer-notice" role="alert">{notice}</p>}
        {busy && (
          <button type="button" class="button danger" onClick={onStop}>
            <Icon svg={square} />
            Stop
          </button>
        )}
        <button type="submit" class="button primary" disabled={sending || !text.trim()}>
          <Icon svg={send} />
          Send
        </button>
      </div>
    </form>
  );
}
