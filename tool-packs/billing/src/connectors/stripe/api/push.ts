import { type PushResult, type SourceWrite, SyncError } from "@toolpacks/pack-kit";
import type Stripe from "stripe";
import { stripeError } from "./errors.js";

/** The billing pack's credit note reasons -> Stripe's (the pack's own reason goes in the memo). */
const CREDIT_REASONS: Record<string, Stripe.CreditNoteCreateParams.Reason | undefined> = {
  damaged_goods: "product_unsatisfactory",
  returned_goods: "order_change",
  pricing_error: "order_change",
};

const replayedOf = (response: { lastResponse?: { headers?: Record<string, string> } }) =>
  response.lastResponse?.headers?.["idempotent-replayed"] === "true";

/**
 * Applies one billing write in Stripe, sending `key` as Stripe's `Idempotency-Key` so a retried
 * call (after a timeout, a lost answer, a crash before the store recorded it) is applied once:
 * - `issue_credit_note` -> a credit note on the invoice (`amount`; the part the customer already
 *   paid is credited to their Stripe balance, `credit_amount`);
 * - `record_payment` -> the invoice marked paid out of band, only when the payment settles the
 *   whole open amount (Stripe records no partial payment made outside it).
 * Anything else is `unsupported_write`, before any call. Stripe's refusal is `source_refused`
 * with Stripe's reason; a timeout is `source_unavailable` and asks for a retry with the same key.
 */
export async function pushToStripe(stripe: Stripe, write: SourceWrite, key: string): Promise<PushResult> {
  const args = write.args;
  const result = write.result;
  const options = { idempotencyKey: key };
  try {
    if (write.tool === "issue_credit_note") {
      const refundDue = Number(result["refund_due_minor"] ?? 0);
      const reason = CREDIT_REASONS[String(args["reason"])];
      const note = await stripe.creditNotes.create(
        {
          invoice: String(args["invoice_id"]),
          amount: Number(args["amount_minor"]),
          ...(refundDue > 0 ? { credit_amount: refundDue } : {}),
          ...(reason ? { reason } : {}),
          memo: String(args["reason"]).replaceAll("_", " "),
          metadata: { toolpacks_tool: write.tool },
        },
        options,
      );
      return { sourceId: note.id, replayed: replayedOf(note) };
    }
    if (write.tool === "record_payment") {
      if (Number(result["open_after_minor"] ?? -1) !== 0) {
        throw new SyncError(
          "unsupported_write",
          `Stripe records a payment made outside Stripe only for the whole amount due of invoice ${String(args["invoice_id"])}; this payment leaves ${String(result["open_after_minor"])} open, so nothing was written. Fix: record the whole open amount, or record the partial payment in the Stripe Dashboard and sync.`,
        );
      }
      const invoice = await stripe.invoices.pay(
        String(args["invoice_id"]),
        { paid_out_of_band: true },
        options,
      );
      return { sourceId: invoice.id, replayed: replayedOf(invoice) };
    }
  } catch (error) {
    const mapped = stripeError(error, `${write.tool} on ${String(args["invoice_id"] ?? "?")}`);
    if (mapped instanceof SyncError && mapped.code === "source_unavailable") {
      throw new SyncError(
        "source_unavailable",
        `${mapped.message} Stripe may or may not have applied it; retry the call with the same idempotency key: Stripe applies it once.`,
        { ...(mapped.status === undefined ? {} : { status: mapped.status }), cause: error },
      );
    }
    throw mapped;
  }
  throw new SyncError(
    "unsupported_write",
    `${write.tool} has no Stripe equivalent the billing pack writes back, and this store is kept in sync with Stripe, so nothing was written. Fix: make the change in Stripe; the next sync brings it in.`,
  );
}
