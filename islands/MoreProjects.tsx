/**
 * `More projects`, at the end of the home page's list: a link to the next page, which works
 * without JavaScript; once hydrated, scrolling near it (or pressing it) fetches that page and
 * appends its project cards to the list in place, then points at the page after it, until the
 * last project is shown.
 */

import { useEffect, useRef, useState } from "preact/hooks";

/** How far below the screen the link may be when the next page is fetched. */
const AHEAD = "800px";

export default function MoreProjects({ href }: { href: string }) {
  const [next, setNext] = useState<string | undefined>(href);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const link = useRef<HTMLAnchorElement>(null);
  const busy = useRef(false);

  const load = async (url: string) => {
    if (busy.current) return;
    busy.current = true;
    setLoading(true);
    try {
      const response = await fetch(url, { headers: { accept: "text/html" } });
      if (!response.ok) throw new Error(`Palot answered ${response.status}`);
      const page = new DOMParser().parseFromString(await response.text(), "text/html");
      const cards = page.getElementById("project-list");
      const list = document.getElementById("project-list");
      if (!cards || !list) throw new Error("the page has no project list");
      // Copied out first: adopting a node removes it from the live `children` being walked.
      list.append(...[...cards.children].map((node) => document.adoptNode(node)));
      setError(undefined);
      setNext(page.querySelector("[data-more-projects]")?.getAttribute("href") ?? undefined);
    } catch (failure) {
      setError(`Cannot load more projects (${(failure as Error).message}). Press the link again.`);
    } finally {
      busy.current = false;
      setLoading(false);
    }
  };

  useEffect(() => {
    const target = link.current;
    if (!next || !target || error) return;
    const observer = new IntersectionObserver((entries) => {
      if (entries.some((entry) => entry.isIntersecting)) load(next);
    }, { rootMargin: AHEAD });
    observer.observe(target);
    return () => observer.disconnect();
  }, [next, error]);

  if (!next) return null;
  return (
    <>
      <a
        ref={link}
        href={next}
        data-more-projects
        aria-busy={loading}
        onClick={(event) => {
          event.preventDefault();
          load(next);
        }}
      >
        More projects
      </a>
      {error && <span role="alert" class="field-error">{error}</span>}
    </>
  );
}
