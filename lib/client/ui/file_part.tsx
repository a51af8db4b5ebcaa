/**
 * A file part of a message as a chip: a mentioned file by its path, an attachment by its name,
 * an attached image as a thumbnail. A `data:` URL is never shown as text (it can be megabytes);
 * only an image's is used, as the thumbnail's source, which the page's policy allows.
 */

import { asString } from "../../common/values.ts";

/** A file part's fields as OpenCode sends them (`filename`, `url`, `mime` are read). */
type FileFields = Record<string, unknown>;

/** The name to show for a file part: its filename, the path of a `file://` URL, or "file". */
export function fileLabel(part: FileFields): string {
  const filename = asString(part.filename);
  if (filename) return filename;
  const url = asString(part.url);
  if (url.startsWith("file://")) {
    try {
      return decodeURIComponent(new URL(url).pathname);
    } catch { /* an odd URL: fall through */ }
  }
  return "file";
}

export function FilePart({ part }: { part: FileFields }) {
  const url = asString(part.url);
  const mime = asString(part.mime);
  const image = mime.startsWith("image/") && url.startsWith("data:image/");
  const label = fileLabel(part);
  return (
    <div class="part file">
      {image && <img class="file-thumb" src={url} alt={label} loading="lazy" />}
      <span class="file-chip" title={mime || undefined}>
        {url.startsWith("file://") ? `@${label}` : label}
      </span>
    </div>
  );
}
