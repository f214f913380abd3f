import { defineVocabulary } from "@toolpacks/pack-kit";

/**
 * What an exported invoice is to the billing pack: `open` (money may still come: AR aging,
 * overdue, dunning), `paid`, or not a receivable at all (`draft`: never sent; `void`: cancelled),
 * which is not imported. Stripe's `uncollectible` stays open: it is still owed, and written off
 * only in the books; map it to `void` in a mapping file to leave bad debt out of AR.
 */
export const invoiceStatus = defineVocabulary({
  name: "invoice status",
  values: ["open", "paid", "draft", "void"] as const,
  systems: {
    stripe: {
      draft: "draft",
      open: "open",
      paid: "paid",
      uncollectible: "open",
      void: "void",
      "Past due": "open",
      Overdue: "open",
      Outstanding: "open",
      Voided: "void",
    },
  },
});

/**
 * What an exported subscription is to the billing pack. `active` counts in MRR from its start,
 * `cancelled` until it ended; `trialing` and `paused` count no MRR (they pay nothing yet or now);
 * `incomplete` never started and is not imported.
 */
export const subscriptionStatus = defineVocabulary({
  name: "subscription status",
  values: ["active", "trialing", "paused", "cancelled", "incomplete"] as const,
  systems: {
    stripe: {
      active: "active",
      past_due: "active",
      unpaid: "active",
      trialing: "trialing",
      paused: "paused",
      canceled: "cancelled",
      incomplete: "incomplete",
      incomplete_expired: "incomplete",
    },
  },
});

/**
 * What an exported charge is: only `succeeded` ones are payments (net of what was refunded);
 * failed, pending and fully refunded charges collected nothing and are not imported.
 */
export const paymentStatus = defineVocabulary({
  name: "payment status",
  values: ["succeeded", "failed", "pending", "refunded"] as const,
  systems: {
    stripe: {
      Paid: "succeeded",
      Succeeded: "succeeded",
      "Partially refunded": "succeeded",
      Refunded: "refunded",
      Failed: "failed",
      Canceled: "failed",
      Blocked: "failed",
      Incomplete: "failed",
      Uncaptured: "pending",
      Pending: "pending",
      Disputed: "succeeded",
    },
  },
});

/** Payment method types -> the billing pack's methods. */
export function paymentMethod(type: string, hasCard: boolean): "card" | "bank_transfer" | "direct_debit" {
  const t = type.trim().toLowerCase();
  if (t === "") return hasCard ? "card" : "bank_transfer";
  // us_bank_account is Stripe's ACH Direct Debit.
  if (/debit|bacs|becs|sepa|ach|pad|us_bank_account/.test(t)) return "direct_debit";
  if (/card|link|apple|google|wallet/.test(t)) return "card";
  return "bank_transfer";
}
