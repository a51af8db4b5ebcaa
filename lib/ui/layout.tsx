/**
 * The frame shared by every page: the header with the connection indicator, the sidebar of
 * projects (and of the current project's sessions), and the main column. Plain links that work
 * without JavaScript and in new tabs.
 */

import type { ComponentChildren } from "preact";
import ConnectionStatusView, { type OpencodeStatusName } from "../../islands/ConnectionStatus.tsx";
import { island } from "./island.tsx";

const ConnectionStatus = island("ConnectionStatus", ConnectionStatusView);

export interface ShellProps {
  opencodeStatus: OpencodeStatusName;
  /** The sidebar's content (project and session navigation). */
  sidebar?: ComponentChildren;
  children: ComponentChildren;
}

export function Shell({ opencodeStatus, sidebar, children }: ShellProps) {
  return (
    <div class="app">
      <header class="topbar">
        <a class="brand" href="/">Palot</a>
        <ConnectionStatus status={opencodeStatus} />
      </header>
      <div class="columns">
        {sidebar && <aside class="sidebar">{sidebar}</aside>}
        <main class="main" id="main">{children}</main>
      </div>
    </div>
  );
}
