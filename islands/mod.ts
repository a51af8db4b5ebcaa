/**
 * Every island, registered once under its file's name: the default export of
 * `islands/<Name>.tsx` wrapped by {@linkcode island}, so a server-rendered page marks it for
 * `lib/client/boot.ts` to hydrate. Routes and their views render islands only through this
 * module. It runs on the server only (`build.ts` bundles each `islands/*.tsx`, not this file).
 */

import { island } from "../lib/server/island.tsx";
import AttentionView from "./Attention.tsx";
import ChatView from "./Chat.tsx";
import ConnectionStatusView from "./ConnectionStatus.tsx";
import LiveActivityView from "./LiveActivity.tsx";
import MachineStatusView from "./MachineStatus.tsx";
import MoreProjectsView from "./MoreProjects.tsx";
import NotificationSettingsView from "./NotificationSettings.tsx";
import OpenFolderView from "./OpenFolder.tsx";
import PaletteView from "./Palette.tsx";
import ProviderFilterView from "./ProviderFilter.tsx";
import SidebarSessionsView from "./SidebarSessions.tsx";
import TerminalView from "./Terminal.tsx";

export type { ActivityItem } from "../lib/common/activity.ts";
export type { OpenFolderProps } from "./OpenFolder.tsx";
export type { SidebarSession } from "./SidebarSessions.tsx";

/** What waits for the user, in the header. */
export const Attention = island("Attention", AttentionView);
/** A project's chat: the New session page, a session page, and a project's empty state. */
export const Chat = island("Chat", ChatView);
/** The connection indicator, in the header. */
export const ConnectionStatus = island("ConnectionStatus", ConnectionStatusView);
/** "Active now": the sidebar and the home page. */
export const LiveActivity = island("LiveActivity", LiveActivityView);
/** Another machine's status, kept current (the home page's machine headings, Settings → Servers). */
export const MachineStatus = island("MachineStatus", MachineStatusView);
/** `More projects` at the end of the home page's list: the next page, appended on scroll. */
export const MoreProjects = island("MoreProjects", MoreProjectsView);
/** The Settings page's Notifications section (its choices are kept in the browser). */
export const NotificationSettings = island("NotificationSettings", NotificationSettingsView);
/** The `Open folder` form. */
export const OpenFolder = island("OpenFolder", OpenFolderView);
/** The command palette (`Ctrl+K`), on every page. */
export const Palette = island("Palette", PaletteView);
/** Settings → Providers: `Filter providers`. */
export const ProviderFilter = island("ProviderFilter", ProviderFilterView);
/** The current project's latest root sessions, in the sidebar. */
export const SidebarSessions = island("SidebarSessions", SidebarSessionsView);
/**
 * The project's terminals, docked at the bottom: New session and project pages (a session page has
 * them in its side pane, `lib/client/workbench/`).
 */
export const Terminal = island("Terminal", TerminalView);
