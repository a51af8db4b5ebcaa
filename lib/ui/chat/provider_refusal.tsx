/**
 * A turn that failed because the model provider refused the request (a rejected or missing key):
 * says which provider refused and links to its entry in Settings, instead of a bare error.
 */

import type { MessageEntry } from "../../store/store.ts";

interface FailedInfo {
  role?: string;
  providerID?: string;
  error?: {
    name?: string;
    data?: { message?: string; statusCode?: number; providerID?: string };
  };
}

/** The provider that refused the latest turn, and its words, if that is why it failed. */
export function providerRefusal(
  messages: MessageEntry[],
): { providerID: string; message: string } | undefined {
  const last = messages.findLast((entry) => (entry.info.value as FailedInfo).role === "assistant");
  const info = last?.info.value as FailedInfo | undefined;
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
