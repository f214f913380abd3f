import { SyncError, type SyncSourceSpec } from "@toolpacks/pack-kit";
import { createStripeClient } from "./client.js";
import { STRIPE_KEY_ENV } from "./errors.js";
import { stripeSource } from "./source.js";

/**
 * `toolpacks-billing sync stripe`: the Stripe API as the billing pack's system of record. The
 * secret key comes only from `STRIPE_API_KEY` (never a flag: flags show in the process list).
 */
export const stripeSync: SyncSourceSpec = {
  system: "stripe",
  description: `Stripe API (key in ${STRIPE_KEY_ENV}): customers, subscriptions, invoices, invoice payments; then events`,
  env: [STRIPE_KEY_ENV],
  create({ env, baseUrl, fetch }) {
    const apiKey = env[STRIPE_KEY_ENV];
    if (!apiKey) {
      throw new SyncError(
        "credential_missing",
        `${STRIPE_KEY_ENV} is not set. Fix: create a secret or restricted key in the Stripe Dashboard (Developers > API keys) and export ${STRIPE_KEY_ENV}=sk_… before running the command.`,
      );
    }
    return stripeSource(createStripeClient({ apiKey, baseUrl, ...(fetch ? { retry: { fetch } } : {}) }));
  },
};
