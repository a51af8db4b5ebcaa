/**
 * A turn that failed because the model provider refused the request (a rejected or missing key):
 * says which provider refused and links to its entry in Settings, instead of a bare error. OpenCode
 * retries such a request (measured: a 401 is retried with backoff), so a retry whose message
 * speaks of the key counts too.
 */

import type { MessageEntry } from "../live/store.ts";

interface FailedInfo {
  role?: string;
  providerID?: string;
  error?: {
    name?: string;
    data?: { message?: string; statusCode?: number; providerID?: string };
  };
}

/** Words of a provider turning a key down. */
const KEY_REFUSED = /api[ _-]?key|unauthori[sz]ed|authenticat|forbidden|\b40[13]\b/i;

/**
 * The provider that refused the latest turn, and its words, if that is why it failed or is being
 * retried (`retryMessage`, from the session's retry status).
 */
export function providerRefusal(
  messages: MessageEntry[],
  retryMessage?: string,
): { providerID: string; message: string } | undefined {
  const last = messages.findLast((entry) => (entry.info.value as FailedInfo).role === "assistant");
  const info = last?.info.value as FailedInfo | undefined;
  if (info?.providerID && retryMessage && KEY_REFUSED.test(retryMessage)) {
    return { providerID: info.providerID, message: retryMessage };
  }
  const error = info?.error;
  if (!info || !error) return undefined;
  const refused = error.name === "ProviderAuthError" ||
    (error.name === "APIError" &&
      (error.data?.statusCode === 401 || error.data?.statusCode === 403));
  const providerID = error.data?.providerID ?? info.providerID;
  if (!refused || !providerID) return undefined;
  return { providerID, message: error.data?.message ?? "the key was not accepted" };
}

export function ProviderRefusal(
  { refusal, providerName }: {
    refusal: { providerID: string; message: string };
    providerName?: string;
  },
) {
  return (
    <p class="chat-error" role="alert">
      {providerName ?? refusal.providerID} refused the request: {refusal.message}. Check its key in
      {" "}
      <a href={`/settings#provider-${encodeURIComponent(refusal.providerID)}`}>Settings</a>.
    </p>
  );
}
