/**
 * The header's `Theme` control: System, Light and Dark as three buttons of one form posting to
 * `/theme` (see `routes/views/theme.ts`), the current one pressed. A plain form, so it works without
 * JavaScript, and the page comes back rendered in the new theme.
 */

import { Icon, monitor, moon, sun } from "../../lib/client/ui/icons.tsx";
import { currentPath, currentTheme, type Theme } from "./theme.ts";

const OPTIONS: { theme: Theme; label: string; icon: string }[] = [
  { theme: "system", label: "System", icon: monitor },
  { theme: "light", label: "Light", icon: sun },
  { theme: "dark", label: "Dark", icon: moon },
];

export function ThemeControl() {
  const theme = currentTheme();
  return (
    <form method="post" action="/theme" class="theme-control" role="group" aria-label="Theme">
      <input type="hidden" name="back" value={currentPath()} />
      {OPTIONS.map((option) => (
        <button
          key={option.theme}
          type="submit"
          name="theme"
          value={option.theme}
          class="theme-option"
          aria-pressed={option.theme === theme ? "true" : "false"}
          title={`${option.label} theme`}
        >
          <Icon svg={option.icon} />
          <span class="visually-hidden">{option.label}</span>
        </button>
      ))}
    </form>
  );
}
