/**
 * What the tab-sharing and notification tests add to every page of a browser context (an init
 * script): a switch to make the page hidden or shown (headless Chromium shows every page), a count
 * of the event streams it holds open, and the system notifications it showed, captured by
 * wrapping `window.Notification` (each can be clicked), with the calls to `requestPermission`.
 */

import type { BrowserContext, Page } from "playwright-core";
import { postToOpencode } from "../testing/palot.ts";
import { waitFor } from "../testing/world.ts";
import type { RunningApp } from "./harness.ts";

export interface CapturedNotification {
  title: string;
  body?: string;
  tag?: string;
}

/** The controls, as the page has them. */
interface TabControls {
  openStreams(): number;
  setPageHidden(hidden: boolean): void;
  notificationsShown(): CapturedNotification[];
  clickNotification(index: number): void;
  permissionRequests(): number;
}

/** Adds the controls to every page `context` opens from now on. */
export async function addTabControls(context: BrowserContext): Promise<void> {
  await context.addInitScript(() => {
    let hidden = false;
    Object.defineProperty(Document.prototype, "visibilityState", {
      get: () => (hidden ? "hidden" : "visible"),
    });
    Object.defineProperty(Document.prototype, "hidden", { get: () => hidden });
    const streams: EventSource[] = [];
    globalThis.EventSource = class extends EventSource {
      constructor(url: string | URL, init?: EventSourceInit) {
        super(url, init);
        streams.push(this);
      }
    };
    const shown: { title: string; body?: string; tag?: string }[] = [];
    const instances: Notification[] = [];
    let requests = 0;
    const Original = globalThis.Notification;
    class Captured extends Original {
      constructor(title: string, options?: NotificationOptions) {
        super(title, options);
        shown.push({ title, body: options?.body, tag: options?.tag });
        instances.push(this);
      }
      static override requestPermission(): Promise<NotificationPermission> {
        requests++;
        return Original.requestPermission();
      }
    }
    globalThis.Notification = Captured;
    const controls: TabControls = {
      openStreams: () => streams.filter((stream) => stream.readyState === EventSource.OPEN).length,
      setPageHidden(value) {
        hidden = value;
        document.dispatchEvent(new Event("visibilitychange"));
      },
      notificationsShown: () => shown,
      clickNotification: (index) => instances[index].onclick?.(new Event("click")),
      permissionRequests: () => requests,
    };
    Object.assign(globalThis, controls);
  });
}

// Each runs in the page, where the controls are globals (the cast is erased).
export const openStreams = (page: Page): Promise<number> =>
  page.evaluate(() => (globalThis as unknown as TabControls).openStreams());
export const setPageHidden = (page: Page, hidden: boolean): Promise<void> =>
  page.evaluate((value) => (globalThis as unknown as TabControls).setPageHidden(value), hidden);
export const notificationsShown = (page: Page): Promise<CapturedNotification[]> =>
  page.evaluate(() => (globalThis as unknown as TabControls).notificationsShown());
export const clickNotification = (page: Page, index: number): Promise<void> =>
  page.evaluate((i) => (globalThis as unknown as TabControls).clickNotification(i), index);
export const permissionRequests = (page: Page): Promise<number> =>
  page.evaluate(() => (globalThis as unknown as TabControls).permissionRequests());

/** Notifications shown by any of `pages`. */
export async function allNotifications(pages: Page[]): Promise<CapturedNotification[]> {
  return (await Promise.all(pages.map(notificationsShown))).flat();
}

/**
 * Creates a session in `directory`, trying again while OpenCode answers 503 (on a loaded machine
 * the supervisor may be restarting it); returns its id.
 */
export async function createSession(
  app: RunningApp,
  directory: string,
  title: string,
): Promise<string> {
  let id = "";
  await waitFor(async () => {
    id = (await postToOpencode(app.palot, "/session", directory, { title }).catch(() => ({})))
      .id ?? "";
    return id !== "";
  }, { timeoutMs: 120_000, message: `a session "${title}"` });
  return id;
}
