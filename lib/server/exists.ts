/** Whether a file or folder exists at `path` now (one `stat`; any error counts as absent). */
export function exists(path: string): boolean {
  try {
    Deno.statSync(path);
    return true;
  } catch {
    return false;
  }
}
