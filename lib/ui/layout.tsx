/**
 * The frame shared by every page: the header with the connection indicator, the sidebar, and the
 * main column. A skip link lets keyboard users jump past the sidebar; on a phone the sidebar is a
 * drawer opened from a row that stays at the top of the screen.
 */

import type { ComponentChildren } from "preact";
import AttentionView from "../../islands/Attention.tsx";
import ConnectionStatusView from "../../islands/ConnectionStatus.tsx";
import PaletteView from "../../islands/Palette.tsx";
import { island } from "./island.tsx";
import type { LiveContext } from "./live_context.ts";

const Attention = island("Attention", AttentionView);
const ConnectionStatus = island("ConnectionStatus", ConnectionStatusView);
const Palette = island("Palette", PaletteView);

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
        <a class="brand" href="/">Palot</a>
        <form class="search-form" role="search" action="/search" method="get">
          <input
            type="search"
            name="q"
            aria-label="Search"
            placeholder="Search sessions (Ctrl+K: go to…)"
            value={query}
          />
        </form>
        <Attention />
        <a class="topbar-link" href="/settings">Settings</a>
        <ConnectionStatus connected={live.connected} />
      </header>
      <div class="columns">
        {sidebar && (
          <div class="sidebar">
            {/* A checkbox toggle: on narrow screens the sidebar is a drawer, without JavaScript. */}
            <input type="checkbox" id="sidebar-toggle" class="sidebar-toggle" />
            <label for="sidebar-toggle" class="sidebar-toggle-label">Projects and sessions</label>
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
