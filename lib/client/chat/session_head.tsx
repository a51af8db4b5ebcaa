/**
 * The chat's heading: the session's title (or "New session in …"), and for a session the
 * `Rename` form and `Delete` (after a confirmation). Failures are reported through `onError`.
 */

import type { ComponentChildren } from "preact";
import type { Signal } from "@preact/signals";
import { useEffect, useRef, useState } from "preact/hooks";
import { pageTitle } from "../ui/page_title.ts";
import type { ChatApi } from "./chat_api.ts";
import { pageHref } from "../live/page_server.ts";

export interface SessionHeadProps {
  api: ChatApi;
  sessionId: Signal<string | undefined>;
  title: Signal<string>;
  projectId?: string;
  projectName: string;
  onError(message: string): void;
  /** The agent's plan (`1 of 3`) while it works, beside the title. */
  progress?: ComponentChildren;
}

export function SessionHead(
  { api, sessionId, title, projectId, projectName, onError, progress }: SessionHeadProps,
) {
  const [renaming, setRenaming] = useState(false);
  const renameField = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (renaming) renameField.current?.select();
  }, [renaming]);
  // The tab's title follows the session's: after the first Send and after Rename.
  const heading = sessionId.value ? title.value || "Untitled session" : "";
  useEffect(() => {
    if (heading) pageTitle.value = `${heading} · ${projectName} · Palot`;
  }, [heading, projectName]);
  const rename = async (next: string) => {
    const id = sessionId.peek();
    if (!id || !next.trim()) return setRenaming(false);
    try {
      await api.rename(id, next.trim());
      title.value = next.trim();
      setRenaming(false);
    } catch (reason) {
      onError(`Could not rename: ${(reason as Error).message}`);
    }
  };
  const remove = async () => {
    const id = sessionId.peek();
    if (
      !id || !confirm(`Delete the session "${title.peek() || "Untitled"}"? This cannot be undone.`)
    ) return;
    try {
      await api.remove(id);
      location.href = projectId ? pageHref(`/project/${encodeURIComponent(projectId)}`) : "/";
    } catch (reason) {
      onError(`Could not delete: ${(reason as Error).message}`);
    }
  };
  return (
    <div class="chat-head">
      {renaming
        ? (
          <form
            class="rename"
            onSubmit={(event) => {
              event.preventDefault();
              rename(new FormData(event.currentTarget).get("title") as string);
            }}
          >
            <label>
              <span class="visually-hidden">Session title</span>
              <input name="title" defaultValue={title.value} ref={renameField} />
            </label>
            <button type="submit" class="button primary">Save</button>
            <button type="button" class="button" onClick={() => setRenaming(false)}>
              Cancel
            </button>
          </form>
        )
        : (
          <h1>
            {sessionId.value ? title.value || "Untitled session" : `New session in ${projectName}`}
            {progress}
          </h1>
        )}
      {sessionId.value && !renaming && (
        <div class="session-actions">
          <button type="button" class="button" onClick={() => setRenaming(true)}>Rename</button>
          <button type="button" class="button danger" onClick={remove}>Delete</button>
        </div>
      )}
    </div>
  );
}
