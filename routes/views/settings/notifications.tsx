/**
 * The Settings page's Notifications section (issue 19): an island, since its choices are kept in
 * the browser. `routes/settings.tsx` renders it with the projects to offer muting for.
 */

import NotificationSettingsView from "../../../islands/NotificationSettings.tsx";
import { island } from "../../../lib/server/island.tsx";

/** The section, hydrated in the browser. */
export const NotificationSettings = island("NotificationSettings", NotificationSettingsView);
