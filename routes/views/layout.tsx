/**
 * The frame shared by every page: the header (brand, the `Search` field, what waits for the user,
 * the `Settings` link, the `Theme` control and the connection indicator), the sidebar, and the
 * main column. A skip link lets keyboard users jump past the sidebar. The sidebar folds away
 * without JavaScript: a checkbox hides it on wide screens (`Hide sidebar`) and shows it on narrow
 * ones (`Projects and sessions`), where it is a drawer over the page with a `Close` label.
 */

import type { ComponentChildren } from "preact";
import { Attention, ConnectionStatus, Palette } from "../../islands/mod.ts";
import { Icon, panelLeft, settings } from "../../lib/client/ui/icons.tsx";
import type { LiveContext } from "./live_context.ts";
import { ThemeControl } from "./theme_control.tsx";

/** The brand's mark, as a file (cached once, unlike the tab's icon, which the page may redraw). */
const MARK = "/static/icons/icon.svg";

export interface ShellProps {
  live: LiveContext;
  /** The sidebar's content (project and session navigation). */
  sidebar?: ComponentChildren;
  children: ComponentChildren;
  /** The text in the header's `Search` field (on the search page). */
  query?: string;
}

export function Shell({ live, sidebar, children, query }: ShellProps) {
  return (
    <div class="app">
      <a class="skip" href="#main">Skip to content</a>
      <header class="topbar">
        <a class="brand" href="/">
          <img src={MARK} alt="" width="22" height="22" />
          Palot
        </a>
        <form class="search-form" role="search" action="/search" method="get">
          <input
            type="search"
            name="q"
            aria-label="Search"
            placeholder="Search sessions (Ctrl+K: go to…)"
            value={query}
          />
        </form>
        <div class="topbar-end">
          <Attention />
          <a class="topbar-link" href="/settings">
            <Icon svg={settings} />
            Settings
          </a>
          <ThemeControl />
          <ConnectionStatus connected={live.connected} />
        </div>
      </header>
      <div class="columns">
        {sidebar && (
          <div class="sidebar">
            <input type="checkbox" id="sidebar-collapse" class="sidebar-collapse" />
            <label for="sidebar-collapse" class="sidebar-collapse-label" title="Hide sidebar">
              <Icon svg={panelLeft} />
              <span class="visually-hidden">Hide sidebar</span>
            </label>
            <input type="checkbox" id="sidebar-toggle" class="sidebar-toggle" />
            <label for="sidebar-toggle" class="sidebar-toggle-label">
              <Icon svg={panelLeft} />
              Projects and sessions
            </label>
            <label for="sidebar-toggle" class="sidebar-backdrop" aria-hidden="true" />
            <aside class="sidebar-content">
              <label for="sidebar-toggle" class="sidebar-close">Close</label>
              {sidebar}
            </aside>
          </div>
        )}
        <main class="main" id="main">{children}</main>
      </div>
      <Palette />
    </div>
  );
}
