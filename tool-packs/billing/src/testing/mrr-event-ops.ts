import type { Statement } from "@toolpacks/pack-kit";
import type { RollupRows } from "@toolpacks/pack-kit/testing";
import fc from "fast-check";

// Every write path (subscription writes, seeding, import, sync, removals) ends in these row
// operations on billing_mrr_events; the rollup must equal a from-scratch GROUP BY of the
// movements by currency, kind and month after every sequence of them.
/** One random write to `billing_mrr_events`. */
export type MrrEventOp =
  | { kind: "insert"; sub: number; on: string; move: string; delta: number; currency: string }
  | {
      kind: "set";
      pick: number;
      column: "kind" | "delta_minor" | "currency" | "effective_on";
      value: string | number;
    }
  | { kind: "delete"; pick: number };

/** The movements' key as one text (their `idColumn`). */
export const MRR_EVENT_KEY = "subscription_id || '|' || effective_on";
export const moves = fc.constantFrom("new", "expansion", "contraction", "churn");
export const currencies = fc.constantFrom("USD", "EUR", "GBP");
export const delta = fc.integer({ min: -50_000, max: 50_000 });
// Days around month ends, so movements change months.
const on = fc.constantFrom(
  "2026-01-31",
  "2026-02-01",
  "2026-02-14",
  "2026-02-28",
  "2026-03-01",
  "2026-03-31",
);
const pick = fc.nat(1_000);
/** Random movement writes over four subscriptions, around month ends. */
export const mrrEventOps: fc.Arbitrary<MrrEventOp> = fc.oneof(
  fc.record({
    kind: fc.constant("insert" as const),
    sub: fc.integer({ min: 1, max: 4 }),
    on,
    move: moves,
    delta,
    currency: currencies,
  }),
  fc.record({ kind: fc.constant("set" as const), pick, column: fc.constant("kind" as const), value: moves }),
  fc.record({
    kind: fc.constant("set" as const),
    pick,
    column: fc.constant("delta_minor" as const),
    value: delta,
  }),
  fc.record({
    kind: fc.constant("set" as const),
    pick,
    column: fc.constant("currency" as const),
    value: currencies,
  }),
  fc.record({
    kind: fc.constant("set" as const),
    pick,
    column: fc.constant("effective_on" as const),
    value: on,
  }),
  fc.record({ kind: fc.constant("delete" as const), pick }),
);

// A clash on (subscription, day) writes nothing, which the rollup must also survive.
/** The insert of one movement (nothing on a clash). */
export const insertEvent = (o: Extract<MrrEventOp, { kind: "insert" }>) => ({
  sql: `INSERT INTO billing_mrr_events (subscription_id, effective_on, account_id, kind, delta_minor, mrr_minor, currency)
        VALUES (?, ?, 'A-1', ?, ?, 0, ?) ON CONFLICT DO NOTHING`,
  params: [`SUB-${o.sub}`, o.on, o.move, o.delta, o.currency],
});

/** The statements of one `MrrEventOp`. */
export function mrrEventWrite(o: MrrEventOp, rows: RollupRows): Statement[] {
  if (o.kind === "insert") return [insertEvent(o)];
  const id = rows.pick(o.pick);
  if (id === undefined) return [];
  if (o.kind === "delete")
    return [{ sql: `DELETE FROM billing_mrr_events WHERE ${MRR_EVENT_KEY} = ?`, params: [id] }];
  // A moved day may clash with the subscription's other movement: then nothing is written.
  const clash =
    o.column === "effective_on"
      ? ` AND NOT EXISTS (SELECT 1 FROM billing_mrr_events x
    WHERE x.subscription_id = billing_mrr_events.subscription_id AND x.effective_on = ?)`
      : "";
  return [
    {
      sql: `UPDATE billing_mrr_events SET ${o.column} = ? WHERE ${MRR_EVENT_KEY} = ?${clash}`,
      params: [o.value, id, ...(clash ? [o.value] : [])],
    },
  ];
}
