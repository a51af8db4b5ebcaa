/**
 * The `Open folder` block of the home page (also in its empty state and on a `/new` page whose
 * folder cannot be opened): the form island and, below it, the folders opened recently.
 */

import { OpenFolder, type OpenFolderProps } from "../../islands/mod.ts";

/** The address of a folder's New session page. */
export function newSessionHref(directory: string): string {
  return `/new?directory=${encodeURIComponent(directory)}`;
}

export function OpenFolderBlock(
  { recent, ...form }: OpenFolderProps & { recent: string[] },
) {
  return (
    <section class="open-folder-block">
      <OpenFolder {...form} />
      {recent.length > 0 && (
        <nav aria-label="Recent folders" class="recent-folders">
          <h3>Recent folders</h3>
          <ul>
            {recent.map((folder) => (
              <li key={folder}>
                <a href={newSessionHref(folder)}>{folder}</a>
              </li>
            ))}
          </ul>
        </nav>
      )}
    </section>
  );
}
