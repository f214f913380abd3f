import { SyncError } from "@toolpacks/pack-kit";

/** The environment variable the Stripe secret key is read from (and only from). */
export const STRIPE_KEY_ENV = "STRIPE_API_KEY";

interface StripeLikeError {
  type?: string;
  statusCode?: number;
  code?: string;
  message?: string;
  raw?: { message?: string };
}

/**
 * A `stripe` client error -> `SyncError` with a stable code and a message that says what to do:
 * an expired, revoked or wrong key names `STRIPE_API_KEY` (never its value); a 429 or 5xx that
 * outlasted the retries says so; any other refusal carries Stripe's own message. Anything else
 * is returned as is.
 */
export function stripeError(error: unknown, doing: string): unknown {
  if (error instanceof SyncError || typeof error !== "object" || error === null) return error;
  const e = error as StripeLikeError;
  if (typeof e.type !== "string" || !e.type.startsWith("Stripe")) return error;
  const status = e.statusCode;
  const reason = (e.raw?.message ?? e.message ?? "no reason given").replaceAll(/sk_(live|test)_\w+/g, "sk_…");
  const options = { ...(status === undefined ? {} : { status }), cause: error };
  if (e.type === "StripeAuthenticationError" || status === 401) {
    const expired = e.code === "api_key_expired";
    return new SyncError(
      expired ? "credential_expired" : "credential_rejected",
      `Stripe refused the API key while ${doing}: ${reason} Fix: ${expired ? "roll" : "check"} the secret key in the Stripe Dashboard (Developers > API keys) and set it in ${STRIPE_KEY_ENV}; nothing else was changed.`,
      options,
    );
  }
  if (e.type === "StripePermissionError" || status === 403) {
    return new SyncError(
      "credential_rejected",
      `The key in ${STRIPE_KEY_ENV} may not do this while ${doing}: ${reason} Fix: use a key (or restricted key) with read access to customers, subscriptions, invoices, invoice payments and events, and write access to invoices and credit notes for write-back.`,
      options,
    );
  }
  if (e.type === "StripeRateLimitError" || status === 429) {
    return new SyncError(
      "rate_limited",
      `Stripe kept answering 429 (rate limited) while ${doing}, after every retry. Fix: run the sync again later; committed pages are kept and it resumes from them.`,
      options,
    );
  }
  if (
    e.type === "StripeConnectionError" ||
    e.type === "StripeAPIError" ||
    (status !== undefined && status >= 500)
  ) {
    return new SyncError(
      "source_unavailable",
      `Stripe could not be reached or kept failing while ${doing} (${reason}). Fix: check the network and https://status.stripe.com, then run again; committed pages are kept and it resumes from them.`,
      options,
    );
  }
  return new SyncError("source_refused", `Stripe refused ${doing}: ${reason}`, options);
}
