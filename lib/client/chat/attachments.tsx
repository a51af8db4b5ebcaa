/**
 * Attachments: files added with `Attach` (a file picker), pasted from the clipboard or dropped on
 * the composer, read as data URLs and sent as file parts. Each is at most
 * {@linkcode ATTACHMENT_LIMIT} bytes: a bigger file is refused with a message before it is read,
 * so it can never be sent. Here too: the `Attach` button, and the chips showing each attachment's
 * name and size (a thumbnail for images), with a button to remove it.
 */

import type { FilePartInput } from "@opencode-ai/sdk/v2/client";
import { useRef } from "preact/hooks";
import { formatBytes } from "../ui/format.ts";

/** The largest attachment, in bytes (10 MB). */
export const ATTACHMENT_LIMIT = 10 * 1024 * 1024;

export interface Attachment {
  id: string;
  name: string;
  size: number;
  mime: string;
  /** The file's content as a `data:` URL. */
  url: string;
}

/**
 * Reads `files` as attachments; refused files (too big, unreadable) are listed in `refused` with
 * the reason in plain words.
 *
 * @example
 * ```ts
 * const { added, refused } = await readAttachments(input.files!);
 * ```
 */
export async function readAttachments(
  files: Iterable<File>,
  limit = ATTACHMENT_LIMIT,
): Promise<{ added: Attachment[]; refused: string[] }> {
  const added: Attachment[] = [];
  const refused: string[] = [];
  for (const file of files) {
    const name = file.name || "pasted file";
    if (file.size > limit) {
      refused.push(
        `"${name}" is ${formatBytes(file.size)}: attachments are limited to ${
          formatBytes(limit)
        } each, so it was not attached`,
      );
      continue;
    }
    try {
      added.push({
        id: crypto.randomUUID(),
        name,
        size: file.size,
        mime: file.type || "application/octet-stream",
        url: await dataUrl(file),
      });
    } catch {
      refused.push(`"${name}" could not be read, so it was not attached`);
    }
  }
  return { added, refused };
}

function dataUrl(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(reader.result as string);
    reader.onerror = () => reject(reader.error);
    reader.readAsDataURL(file);
  });
}

/** The file parts attachments are sent as. */
export function attachmentParts(attachments: Attachment[]): FilePartInput[] {
  return attachments.map(({ name, mime, url }) => ({ type: "file", mime, filename: name, url }));
}

export function AttachmentChip(
  { attachment, onRemove }: { attachment: Attachment; onRemove(): void },
) {
  const image = attachment.mime.startsWith("image/") && attachment.url.startsWith("data:image/");
  return (
    <li class="chip attachment">
      {image && <img class="chip-thumb" src={attachment.url} alt="" />}
      <span class="chip-name">{attachment.name}</span>
      <span class="chip-size">{formatBytes(attachment.size)}</span>
      <button
        type="button"
        class="chip-remove"
        aria-label={`Remove ${attachment.name}`}
        onClick={onRemove}
      >
        ×
      </button>
    </li>
  );
}

/** `Attach`: opens the file picker; the chosen files are handed to `onFiles`. */
export function AttachButton({ onFiles }: { onFiles(files: File[]): void }) {
  const input = useRef<HTMLInputElement>(null);
  return (
    <>
      <input
        ref={input}
        type="file"
        multiple
        hidden
        onChange={(event) => {
          const chosen = [...(event.currentTarget.files ?? [])];
          event.currentTarget.value = "";
          if (chosen.length) onFiles(chosen);
        }}
      />
      <button type="button" class="button" onClick={() => input.current?.click()}>Attach</button>
    </>
  );
}
