/**
 * The message box: a textarea labelled `Message`, Enter to send and Shift+Enter for a new line, a
 * `Send` button, `Attach`, and `Stop` while the agent works. It composes the menus (`/` commands
 * at the start, `@` files anywhere, see `menu.tsx`), the mention and attachment chips, paste and
 * drop of files, and the Up/Down history. The draft of each chat (text and mentions) is kept in
 * local storage as it is typed, so it survives navigation, reloads and refused sends.
 */

import type { ComponentChildren, RefObject } from "preact";
import { useEffect, useLayoutEffect, useRef, useState } from "preact/hooks";
import type { Command } from "@opencode-ai/sdk/v2/client";
import type { ChatApi } from "./chat_api.ts";
import { AttachButton, type Attachment, AttachmentChip, readAttachments } from "./attachments.tsx";
import { useCompletion } from "./completion.ts";
import {
  acceptMentions,
  acceptOffers,
  BOX_ID,
  type Mention,
  readDraft,
  typedBeforeHydration,
  writeDraft,
} from "./draft.ts";
import { mentionsIn } from "./mentions.ts";
import { Menu, menuKey, optionId } from "./menu.tsx";
import type { PromptHistory } from "./prompt_history.ts";
import { replaceTrigger } from "./triggers.ts";
import { Icon, send, square } from "../ui/icons.tsx";

/** What Send hands over: the text, the mentions still in it, and the attachments. */
export interface OutgoingDraft {
  text: string;
  mentions: Mention[];
  attachments: Attachment[];
}

export interface ComposerProps {
  textareaRef: RefObject<HTMLTextAreaElement>;
  /** Local-storage key of this chat's draft. */
  draftKey: string;
  busy: boolean;
  api: ChatApi;
  /** The project's slash commands (loaded when first needed). */
  commands(): Promise<Command[]>;
  history: PromptHistory;
  /** Sends the draft; resolves `true` when it was accepted (the draft is then cleared). */
  onSend(draft: OutgoingDraft): Promise<boolean>;
  onStop(): void;
  /** A message for the user about the last attempt (for example why nothing was sent). */
  notice?: string;
  /**
   * Focus the box when the page loads; the browser then scrolls it, and the latest message just
   * above it, into view before any script runs.
   */
  autoFocus?: boolean;
  /** Choices shown beside Send (the New session page's `New worktree`). */
  options?: ComponentChildren;
  /** The prompt's settings (Agent, Model, Variant), under the box where the eye is when sending. */
  toolbar?: ComponentChildren;
}

const MENU_ID = "composer-menu";
export function Composer(props: ComposerProps) {
  const { textareaRef: box, draftKey, busy, api } = props;
  const [text, setText] = useState("");
  // Read once, before hydration renders the box empty (the first render must match the server's).
  const [typedEarly] = useState(typedBeforeHydration);
  const [mentions, setMentions] = useState<Mention[]>([]);
  const [attachments, setAttachments] = useState<Attachment[]>([]);
  const [sending, setSending] = useState(false);
  const [problem, setProblem] = useState("");
  const [caret, setCaret] = useState(0);
  const [dragging, setDragging] = useState(false);
  const placeCaret = useRef<number | undefined>(undefined);
  const current = useRef({ text, mentions, draftKey });
  current.current = { text, mentions, draftKey };

  useEffect(() => {
    if (typedEarly) update(typedEarly, typedEarly.length);
  }, []);
  useEffect(() => {
    const stored = readDraft(draftKey);
    setText((shown) => shown || stored.text);
    setMentions((shown) => (shown.length ? shown : stored.mentions));
  }, [draftKey]);
  useEffect(() =>
    acceptMentions((path) => {
      const { text: now, mentions: known } = current.current;
      const next = `${now}${now && !/\s$/.test(now) ? " " : ""}@${path} `;
      update(
        next,
        next.length,
        known.some((mention) => mention.path === path) ? known : [...known, { path }],
      );
      box.current?.focus();
    }), []);
  useEffect(() =>
    acceptOffers((offered) => {
      if (current.current.text.trim()) return false;
      update(offered, 0);
      box.current?.focus();
      return true;
    }), []);
  // Placed as the new text is committed, before the next key press can be read with the caret
  // where setting the value left it (at the end).
  useLayoutEffect(() => {
    if (placeCaret.current === undefined || !box.current) return;
    box.current.setSelectionRange(placeCaret.current, placeCaret.current);
    placeCaret.current = undefined;
  });

  /** Sets the text (and where the caret goes), keeping the draft. */
  const update = (next: string, caretAt?: number, nextMentions = current.current.mentions) => {
    setText(next);
    setMentions(nextMentions);
    if (caretAt !== undefined) {
      placeCaret.current = caretAt;
      setCaret(caretAt);
    }
    writeDraft(current.current.draftKey, { text: next, mentions: mentionsIn(next, nextMentions) });
  };

  const menu = useCompletion(text, caret, api, props.commands);
  const { trigger: wanted, options, open, active: activeIndex } = menu;

  const choose = (index: number) => {
    const option = options[index];
    if (!wanted || !option) return;
    if (wanted.kind === "command") {
      const next = replaceTrigger(text, wanted, `/${option.key} `);
      update(next.text, next.caret);
    } else {
      const next = replaceTrigger(text, wanted, `@${option.key} `);
      const added = mentions.some((mention) => mention.path === option.key)
        ? mentions
        : [...mentions, { path: option.key }];
      update(next.text, next.caret, added);
    }
  };

  /** The mentions whose `@path` is still in the text: shown as chips, and sent. */
  const shownMentions = mentionsIn(text, mentions);

  const addFiles = async (list: Iterable<File>) => {
    const { added, refused } = await readAttachments(list);
    setAttachments((shown) => [...shown, ...added]);
    setProblem(refused.join(". "));
  };

  const submit = async () => {
    if ((!text.trim() && attachments.length === 0) || sending) return;
    const key = draftKey;
    const sent = { text, mentions: shownMentions, attachments };
    setSending(true);
    setProblem("");
    const accepted = await props.onSend(sent);
    setSending(false);
    if (accepted) {
      if (text.trim()) props.history.remember(text);
      setAttachments([]);
      // Clear only what was sent: text typed while the send was on its way is a new draft.
      if ((props.textareaRef.current?.value ?? "") === sent.text) {
        setText("");
        setMentions([]);
        writeDraft(key, { text: "", mentions: [] });
      }
    }
  };

  const onKeyDown = (event: KeyboardEvent) => {
    const target = event.currentTarget as HTMLTextAreaElement;
    if (open) {
      const action = menuKey(event.key, activeIndex, options.length);
      if (action && !(event.key === "Tab" && event.shiftKey)) {
        event.preventDefault();
        if ("move" in action) menu.setActive(action.move);
        else if ("choose" in action) choose(action.choose);
        else menu.dismiss();
        return;
      }
    }
    if (
      (event.key === "ArrowUp" || event.key === "ArrowDown") && !event.shiftKey &&
      !event.altKey && target.selectionStart === 0 && target.selectionEnd === 0 &&
      props.history.wants(target.value)
    ) {
      event.preventDefault();
      props.history.step(event.key === "ArrowUp" ? "up" : "down", target.value).then((shown) => {
        if (shown !== undefined && current.current.text === target.value) update(shown, 0, []);
      });
      return;
    }
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      submit();
    }
  };
  const trackCaret = (event: Event) =>
    setCaret((event.currentTarget as HTMLTextAreaElement).selectionStart);

  return (
    <form
      class={dragging ? "composer dragging" : "composer"}
      onSubmit={(event) => {
        event.preventDefault();
        submit();
      }}
      onDragOver={(event) => {
        if (!event.dataTransfer?.types.includes("Files")) return;
        event.preventDefault();
        setDragging(true);
      }}
      onDragLeave={() => setDragging(false)}
      onDrop={(event) => {
        if (!event.dataTransfer?.files.length) return;
        event.preventDefault();
        setDragging(false);
        addFiles(event.dataTransfer.files);
      }}
    >
      <label for={BOX_ID} class="composer-label">Message</label>
      {(shownMentions.length > 0 || attachments.length > 0) && (
        <ul class="composer-chips" aria-label="Attached files">
          {shownMentions.map((mention) => (
            <li key={mention.path} class="chip mention">
              <span class="chip-name">@{mention.path}</span>
              <button
                type="button"
                class="chip-remove"
                aria-label={`Remove ${mention.path}`}
                onClick={() =>
                  update(
                    text,
                    undefined,
                    mentions.filter((other) => other !== mention),
                  )}
              >
                ×
              </button>
            </li>
          ))}
          {attachments.map((attachment) => (
            <AttachmentChip
              key={attachment.id}
              attachment={attachment}
              onRemove={() =>
                setAttachments((shown) =>
                  shown.filter((other) => other !== attachment)
                )}
            />
          ))}
        </ul>
      )}
      {open && wanted && (
        <Menu
          id={MENU_ID}
          label={wanted.kind === "command" ? "Commands" : "Files"}
          options={options}
          active={activeIndex}
          onChoose={choose}
          onActivate={menu.setActive}
        />
      )}
      <textarea
        id={BOX_ID}
        ref={box}
        rows={3}
        autoFocus={props.autoFocus}
        value={text}
        placeholder="Ask the agent… (/ for commands, @ for files, ! for a shell command)"
        aria-autocomplete="list"
        aria-controls={open ? MENU_ID : undefined}
        aria-activedescendant={open ? optionId(MENU_ID, activeIndex) : undefined}
        onInput={(event) => {
          const target = event.currentTarget;
          update(target.value);
          setCaret(target.selectionStart);
        }}
        onKeyDown={onKeyDown}
        onKeyUp={trackCaret}
        onClick={trackCaret}
        onPaste={(event) => {
          const pasted = [...(event.clipboardData?.files ?? [])];
          if (pasted.length === 0) return;
          event.preventDefault();
          addFiles(pasted);
        }}
      />
      <div class="composer-actions">
        {props.toolbar}
        {(problem || props.notice) && (
          <p class="composer-notice" role="alert">{problem || props.notice}</p>
        )}
        {props.options}
        <AttachButton onFiles={addFiles} />
        {busy && (
          <button type="button" class="button danger" onClick={props.onStop}>
            <Icon svg={square} />
            Stop
          </button>
        )}
        <button
          type="submit"
          class="button primary"
          disabled={sending || (!text.trim() && attachments.length === 0)}
        >
          <Icon svg={send} />
          Send
        </button>
      </div>
    </form>
  );
}
