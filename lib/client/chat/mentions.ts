/**
 * `@file` mentions: the debounced project file search behind the `@` menu (`find.files`, at most
 * 50 results, folders too), the file parts a message's mentions are sent as (`file://` URL of
 * the absolute path, a mime type), and the check that mentioned files still exist before sending.
 */

import { useEffect, useState } from "preact/hooks";
import type { FilePartInput } from "@opencode-ai/sdk/v2/client";
import type { ChatApi } from "./chat_api.ts";
import type { Mention } from "./draft.ts";
import type { MenuOption } from "./menu.tsx";

const SEARCH_DELAY_MS = 150;
const SEARCH_LIMIT = 50;

/**
 * Menu options for files matching `query` (`undefined` while no search is wanted), searched
 * {@linkcode SEARCH_DELAY_MS} after the last keystroke; a stale answer never replaces a newer one.
 */
export function useFileSearch(api: ChatApi, query: string | undefined): MenuOption[] {
  const [options, setOptions] = useState<MenuOption[]>([]);
  useEffect(() => {
    if (query === undefined) return setOptions([]);
    let current = true;
    const timer = setTimeout(() => {
      api.findFiles(query, SEARCH_LIMIT).then((paths) => {
        if (current) {
          // `/` is the project itself.
          const found = paths.filter((path) => path !== "/").slice(0, SEARCH_LIMIT);
          setOptions(
            found.map((path) => ({
              key: path,
              label: path,
              detail: path.endsWith("/") ? "folder" : undefined,
            })),
          );
        }
      }, () => current && setOptions([]));
    }, SEARCH_DELAY_MS);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [query]);
  return options;
}

/** The mentions whose `@path` is still in `text`. */
export function mentionsIn(text: string, mentions: Mention[]): Mention[] {
  const seen = new Set<string>();
  return mentions.filter((mention) => {
    if (seen.has(mention.path) || !text.includes(`@${mention.path}`)) return false;
    seen.add(mention.path);
    return true;
  });
}

/** The `file://` URL of an absolute path. */
export function fileUrl(path: string): string {
  return `file://${path.split("/").map(encodeURIComponent).join("/")}`;
}

/** The file parts the mentions of a message are sent as. */
export function mentionParts(directory: string, mentions: Mention[]): FilePartInput[] {
  return mentions.map((mention) => {
    const folder = mention.path.endsWith("/");
    const relative = mention.path.replace(/\/+$/, "");
    return {
      type: "file",
      mime: folder ? "application/x-directory" : "text/plain",
      filename: relative,
      url: fileUrl(`${directory.replace(/\/+$/, "")}/${relative}`),
    };
  });
}

/** The mentioned paths that no longer exist. */
export async function vanished(api: ChatApi, mentions: Mention[]): Promise<string[]> {
  const found = await Promise.all(mentions.map((mention) => api.exists(mention.path)));
  return mentions.filter((_, index) => !found[index]).map((mention) => mention.path);
}
