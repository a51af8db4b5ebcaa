/**
 * The theme switch in the browser: flips between light and dark, remembered in the `palot_theme`
 * cookie that the server reads to render the page in that theme before it paints.
 */

/** The cookie holding the chosen theme (`light`, `dark`, or absent for the system's). */
export const THEME_COOKIE = "palot_theme";

/**
 * Switches to the theme opposite to the one on screen and remembers it.
 *
 * @example
 * ```ts
 * button.onclick = () => toggleTheme();
 * ```
 */
export function toggleTheme(): "light" | "dark" {
  const root = document.documentElement;
  const current = root.dataset.theme === "light" || root.dataset.theme === "dark"
    ? root.dataset.theme
    : matchMedia("(prefers-color-scheme: dark)").matches
    ? "dark"
    : "light";
  const next = current === "dark" ? "light" : "dark";
  root.dataset.theme = next;
  document.cookie = `${THEME_COOKIE}=${next}; path=/; max-age=31536000; samesite=lax`;
  return next;
}
