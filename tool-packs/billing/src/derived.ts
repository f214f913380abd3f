import type { Statement } from "@toolpacks/pack-kit";
import { revenueRollup } from "./revenue-rollup.js";

/**
 * What billing derives from imported rows, recomputed after every import in its transaction:
 * each imported subscription's MRR movements (`new` at its start; `churn` when it was cancelled)
 * and the monthly revenue rollup. Trialing and paused subscriptions move no MRR; a subscription
 * cancelled the day it started never counted.
 */
export function billingAfterImport(): Statement[] {
  const counted = `source_id IS NOT NULL AND price_minor > 0 AND (status = 'active' OR (status = 'cancelled' AND cancelled_on > started_on))`;
  return [
    {
      sql: "DELETE FROM billing_mrr_events WHERE subscription_id IN (SELECT id FROM billing_subscriptions WHERE source_id IS NOT NULL)",
    },
    {
      sql: `INSERT INTO billing_mrr_events (subscription_id, effective_on, account_id, kind, delta_minor, mrr_minor, currency)
        SELECT id, started_on, account_id, 'new', price_minor, price_minor, currency FROM billing_subscriptions WHERE ${counted}`,
    },
    {
      sql: `INSERT INTO billing_mrr_events (subscription_id, effective_on, account_id, kind, delta_minor, mrr_minor, currency)
        SELECT id, cancelled_on, account_id, 'churn', -price_minor, 0, currency FROM billing_subscriptions
        WHERE ${counted} AND status = 'cancelled'`,
    },
    { sql: "DELETE FROM billing_revenue_monthly" },
    ...revenueRollup(),
  ];
}
