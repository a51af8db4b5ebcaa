/**
 * Whether this code runs in the browser. Islands render on the server too, where the store's
 * module state would be shared by every request: there they render from their props alone.
 */
export const IS_BROWSER = typeof document !== "undefined";
