import type { Statement } from "@toolpacks/pack-kit";
import type { RollupRows } from "@toolpacks/pack-kit/testing";
import fc from "fast-check";

// Every write path (record_payment, issue_credit_note, invoice_order, seeding, import, sync,
// removals) ends in these row operations on billing_invoices; the rollup must equal a
// from-scratch GROUP BY of the open invoices after every sequence of them.
/** One random write to `billing_invoices`. */
export type InvoiceOp =
  | {
      kind: "insert";
      account: string;
      currency: string;
      due: number;
      amount: number;
      paid: number;
      credited: number;
    }
  | { kind: "account"; pick: number; account: string }
  | { kind: "pay"; pick: number; amount: number }
  | { kind: "credit"; pick: number; amount: number }
  | { kind: "due"; pick: number; due: number }
  | { kind: "currency"; pick: number; currency: string }
  | { kind: "amount"; pick: number; amount: number }
  | { kind: "delete"; pick: number };

const currencies = fc.constantFrom("USD", "EUR", "GBP");
const accounts = fc.constantFrom("A-1", "A-2");
// A few due dates, so groups fill, empty and refill.
const due = fc.integer({ min: 1, max: 4 });
const amount = fc.integer({ min: 1, max: 5_000_000 });
const pick = fc.nat(1_000);
/** Random invoice writes over two accounts, three currencies and four due dates. */
export const invoiceOps: fc.Arbitrary<InvoiceOp> = fc.oneof(
  fc.record({
    kind: fc.constant("insert" as const),
    account: accounts,
    currency: currencies,
    due,
    amount,
    paid: fc.nat(5_000_000),
    credited: fc.nat(5_000_000),
  }),
  fc.record({ kind: fc.constant("pay" as const), pick, amount }),
  fc.record({ kind: fc.constant("credit" as const), pick, amount }),
  fc.record({ kind: fc.constant("due" as const), pick, due }),
  fc.record({ kind: fc.constant("currency" as const), pick, currency: currencies }),
  fc.record({ kind: fc.constant("amount" as const), pick, amount }),
  fc.record({ kind: fc.constant("delete" as const), pick }),
  fc.record({ kind: fc.constant("account" as const), pick, account: accounts }),
);

const dueOn = (d: number) => `2026-0${d}-15`;

/** The statements of one `InvoiceOp` (accounts must exist). */
export function invoiceWrite(o: InvoiceOp, rows: RollupRows): Statement[] {
  if (o.kind === "insert") {
    // Paid and credited within the CHECKs (credited <= amount); paid may cover it or more.
    const credited = o.credited % (o.amount + 1);
    const paid = o.paid % (o.amount + 2);
    return [
      {
        sql: `INSERT INTO billing_invoices (id, account_id, issued_on, due_on, amount_minor, amount_paid_minor, amount_credited_minor, currency)
              VALUES (?, ?, '2026-01-01', ?, ?, ?, ?, ?)`,
        params: [`INV-${rows.fresh()}`, o.account, dueOn(o.due), o.amount, paid, credited, o.currency],
      },
    ];
  }
  const id = rows.pick(o.pick);
  if (id === undefined) return [];
  switch (o.kind) {
    case "pay":
      return [
        {
          sql: "UPDATE billing_invoices SET amount_paid_minor = amount_paid_minor + ? WHERE id = ?",
          params: [o.amount, id],
        },
      ];
    case "credit":
      return [
        {
          sql: `UPDATE billing_invoices SET amount_credited_minor = CASE WHEN amount_credited_minor + ? <= amount_minor
                  THEN amount_credited_minor + ? ELSE amount_minor END WHERE id = ?`,
          params: [o.amount, o.amount, id],
        },
      ];
    case "due":
      return [{ sql: "UPDATE billing_invoices SET due_on = ? WHERE id = ?", params: [dueOn(o.due), id] }];
    case "currency":
      return [{ sql: "UPDATE billing_invoices SET currency = ? WHERE id = ?", params: [o.currency, id] }];
    case "amount":
      return [
        {
          sql: "UPDATE billing_invoices SET amount_minor = ?, amount_credited_minor = 0 WHERE id = ?",
          params: [o.amount, id],
        },
      ];
    case "delete":
      return [{ sql: "DELETE FROM billing_invoices WHERE id = ?", params: [id] }];
    case "account":
      return [{ sql: "UPDATE billing_invoices SET account_id = ? WHERE id = ?", params: [o.account, id] }];
  }
}
