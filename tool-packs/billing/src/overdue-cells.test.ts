import { migratePack, type Store } from "@toolpacks/pack-kit";
import {
  checkRollupMatchesRecomputation,
  openTestStore,
  testStoreDialect,
} from "@toolpacks/pack-kit/testing";
import { afterAll, beforeAll, describe, it } from "vitest";
import { pack } from "./pack.js";
import { invoiceOps, invoiceWrite } from "./testing/invoice-ops.js";

const OPEN = "amount_minor > amount_paid_minor + amount_credited_minor";
const OPEN_AMOUNT = "amount_minor - amount_paid_minor - amount_credited_minor";

// Open invoices with their account's oldest open due date in that currency, from scratch.
const TAGGED = `SELECT i.account_id, i.currency, i.due_on, (SELECT MIN(o.due_on) FROM billing_invoices o
    WHERE o.account_id = i.account_id AND o.currency = i.currency AND o.amount_minor > o.amount_paid_minor + o.amount_credited_minor) AS oldest_due_on,
  ${OPEN_AMOUNT} AS open_minor FROM billing_invoices i WHERE ${OPEN}`;

describe(`the open invoices per oldest and due date on ${testStoreDialect()}`, () => {
  let store: Store;
  beforeAll(async () => {
    store = await openTestStore();
    await migratePack(store, pack);
    await store.run(
      "INSERT INTO billing_accounts (id, name, country, currency, payment_terms_days) VALUES ('A-1', 'One', 'US', 'USD', 30), ('A-2', 'Two', 'US', 'USD', 30)",
    );
  });
  afterAll(async () => {
    await store?.close();
  });

  it("keeps each account's cells equal to its open invoices tagged with its oldest due date, after any writes", async () => {
    await checkRollupMatchesRecomputation({
      store,
      source: "billing_invoices",
      ops: invoiceOps,
      write: invoiceWrite,
      rollup: `SELECT account_id, currency, due_on, oldest_due_on, invoices, open_minor FROM billing_open_cells
        ORDER BY account_id, currency, due_on`,
      recompute: `SELECT account_id, currency, due_on, oldest_due_on, COUNT(*) AS invoices, SUM(open_minor) AS open_minor
        FROM (${TAGGED}) t GROUP BY account_id, currency, due_on, oldest_due_on ORDER BY account_id, currency, due_on`,
    });
  });

  it("keeps the sums per currency, oldest and due date equal to a recomputation", async () => {
    await checkRollupMatchesRecomputation({
      store,
      source: "billing_invoices",
      ops: invoiceOps,
      write: invoiceWrite,
      rollup: `SELECT currency, oldest_due_on, due_on, invoices, open_minor FROM billing_open_by_oldest
        ORDER BY currency, oldest_due_on, due_on`,
      recompute: `SELECT currency, oldest_due_on, due_on, COUNT(*) AS invoices, SUM(open_minor) AS open_minor
        FROM (${TAGGED}) t GROUP BY currency, oldest_due_on, due_on ORDER BY currency, oldest_due_on, due_on`,
    });
  });

  it("keeps the open amounts per currency and oldest due date equal to a recomputation", async () => {
    await checkRollupMatchesRecomputation({
      store,
      source: "billing_invoices",
      ops: invoiceOps,
      write: invoiceWrite,
      rollup:
        "SELECT currency, oldest_due_on, open_minor FROM billing_open_oldest_totals ORDER BY currency, oldest_due_on",
      recompute: `SELECT currency, oldest_due_on, SUM(open_minor) AS open_minor FROM (${TAGGED}) t
        GROUP BY currency, oldest_due_on ORDER BY currency, oldest_due_on`,
    });
  });
});
