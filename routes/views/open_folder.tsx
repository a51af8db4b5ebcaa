/**
 * The `Open folder` block of the home page (also in its empty state and on a `/new` page whose
 * folder cannot be opened): the form island and, below it, the folders opened recently.
 */

import OpenFolderView, { type OpenFolderProps } from "../../islands/OpenFolder.tsx";
import { island } from "../../lib/server/island.tsx";

const OpenFolderForm = island("OpenFolder", OpenFolderView);

/** The address of a folder's New session page. */
export function newSessionHref(directory: string): string {
  return `/new?directory=${encodeURIComponent(directory)}`;
}

export function OpenFolderBlock(
  { recent, ...form }: OpenFolderProps & { recent: string[] },
) {
  return (
    <section class="open-folder-block">
      <OpenFolderForm {...form} />
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
