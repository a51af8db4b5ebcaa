/**
 * Settings → Remote access: whether Palot needs a token, the sign-in link for another device, the
 * `New token` button (which signs out every other browser), and a short note when the page is not
 * a secure context (plain `http://` from another device), where notifications, the clipboard and
 * installing the app are unavailable. The data comes from {@linkcode remoteAccess}; the button
 * posts to `routes/api/token.ts`.
 */

import type { Context } from "hono";
import type { AppServices } from "../../../lib/server/services.ts";
import { isLoopback } from "../../../lib/server/config.ts";
import { splitHost } from "../../../lib/server/http/edge.ts";
import { linkTo, remoteAddresses } from "../../../lib/server/http/links.ts";

export interface RemoteAccess {
  /** Palot requires a token (`--token`). */
  tokenRequired: boolean;
  /** Links that sign another device in (with the token), when other devices can reach Palot. */
  links: string[];
  /** The page came over plain `http://` to a name other than loopback: not a secure context. */
  insecureContext: boolean;
  /** The token was replaced by the request that led here. */
  justRotated: boolean;
}

/** The request's scheme as the browser saw it: a TLS proxy says so in `X-Forwarded-Proto`. */
function browserScheme(c: Context): string {
  const forwarded = c.req.header("x-forwarded-proto")?.split(",")[0].trim().toLowerCase();
  return forwarded === "https" || forwarded === "http"
    ? forwarded
    : new URL(c.req.url).protocol.slice(0, -1);
}

/**
 * What the Remote access section shows for this request.
 *
 * @example
 * ```ts
 * <RemoteAccessSection {...remoteAccess(c, services)} />
 * ```
 */
export function remoteAccess(c: Context, services: AppServices): RemoteAccess {
  const { config, accessToken } = services;
  const host = c.req.header("host") ?? "";
  const scheme = browserScheme(c);
  const fromLoopback = isLoopback(splitHost(host).name);
  const token = accessToken?.current;
  let links: string[] = [];
  if (token && !fromLoopback) {
    links = [`${scheme}://${host}/?token=${encodeURIComponent(token)}`];
  } else if (token) {
    links = remoteAddresses(config.hostname, Deno.networkInterfaces())
      .map((address) => linkTo(address, config.port, token));
  }
  return {
    tokenRequired: token !== undefined,
    links,
    insecureContext: scheme !== "https" && !fromLoopback,
    justRotated: c.req.query("rotated") === "1",
  };
}

export function RemoteAccessSection(props: RemoteAccess) {
  return (
    <section class="settings-section" aria-labelledby="remote-access">
      <h2 id="remote-access">Remote access</h2>
      {props.justRotated && (
        <p class="settings-notice" role="status">
          New token set. Every other browser is signed out; sign them in again with{" "}
          {props.links.length > 0 ? "the link below" : "the link Palot printed in its terminal"}.
        </p>
      )}
      {props.tokenRequired
        ? (
          <>
            <p>Every request needs Palot's token. This browser keeps it in a cookie.</p>
            {props.links.length > 0 && (
              <>
                <p>Sign in another device with:</p>
                <ul class="sign-in-links">
                  {props.links.map((link) => (
                    <li key={link}>
                      <code>{link}</code>
                    </li>
                  ))}
                </ul>
              </>
            )}
            <form method="post" action="/api/token">
              <button type="submit" class="button danger">New token</button>{" "}
              <span class="muted">Signs out every other browser; this one stays signed in.</span>
            </form>
          </>
        )
        : (
          <p>
            Palot answers this machine only and needs no token. To reach it from another device,
            start it with <code>--hostname 0.0.0.0 --token TOKEN</code>.
          </p>
        )}
      {props.insecureContext && (
        <p class="muted secure-context-note">
          This page came over plain{" "}
          <code>http://</code>, so the browser treats it as not secure: notifications, copying to
          the clipboard and installing Palot as an app need HTTPS. Put Palot behind a TLS reverse
          proxy (see the guide) to have them.
        </p>
      )}
    </section>
  );
}
