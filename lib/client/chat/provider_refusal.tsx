/**
 * A turn that failed because the model provider refused the request (a rejected or missing key) or
 * could not be reached (no network, a wrong address): says which provider and links to its entry
 * in Settings, instead of a bare error. OpenCode retries such a request (measured: a 401, and
 * "Cannot connect to API", are retried with backoff), so a retry whose message says so counts too.
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
/** Words of a provider that cannot be reached at all. */
const UNREACHABLE =
  /cannot connect|unable to connect|ECONNREFUSED|ENOTFOUND|EAI_AGAIN|fetch failed/i;

/** Why a provider failed the turn, for the words and the advice. */
export interface ProviderFailure {
  providerID: string;
  message: string;
  kind: "refused" | "unreachable";
}

/**
 * The provider that refused the latest turn, and its words, if that is why it failed or is being
 * retried (`retryMessage`, from the session's retry status).
 */
export function providerRefusal(
  messages: MessageEntry[],
  retryMessage?: string,
): ProviderFailure | undefined {
  const last = messages.findLast((entry) => (entry.info.value as FailedInfo).role === "assistant");
  const info = last?.info.value as FailedInfo | undefined;
  if (info?.providerID && retryMessage && KEY_REFUSED.test(retryMessage)) {
    return { providerID: info.providerID, message: retryMessage, kind: "refused" };
  }
  if (info?.providerID && retryMessage && UNREACHABLE.test(retryMessage)) {
    return { providerID: info.providerID, message: retryMessage, kind: "unreachable" };
  }
  const error = info?.error;
  if (!info || !error) return undefined;
  const refused = error.name === "ProviderAuthError" ||
    (error.name === "APIError" &&
      (error.data?.statusCode === 401 || error.data?.statusCode === 403));
  const providerID = error.data?.providerID ?? info.providerID;
  if (!refused || !providerID) return undefined;
  return {
    providerID,
    message: error.data?.message ?? "the key was not accepted",
    kind: "refused",
  };
}

export function ProviderRefusal(
  { refusal, providerName, gaveUp }: {
    refusal: ProviderFailure;
    providerName?: string;
    /** Palot stopped the retries (see `UNREACHABLE_ATTEMPTS` in the chat). */
    gaveUp?: boolean;
  },
) {
  const name = providerName ?? refusal.providerID;
  const settings = (
    <a href={`/settings#provider-${encodeURIComponent(refusal.providerID)}`}>Settings</a>
  );
  if (refusal.kind === "unreachable") {
    return (
      <p class="chat-error" role="alert">
        {name} could not be reached: {refusal.message}.{" "}
        {gaveUp ? "Palot stopped retrying. " : ""}Check the network and the provider's address, or
        choose another model (providers are set up in {settings}).
      </p>
    );
  }
  return (
    <p class="chat-error" role="alert">
      {name} refused the request: {refusal.message}. Check its key in {settings}.
    </p>
  );
}
