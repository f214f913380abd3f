import { migratePack, type Store } from "@toolpacks/pack-kit";
import {
  checkRollupMatchesRecomputation,
  openTestStore,
  testStoreDialect,
} from "@toolpacks/pack-kit/testing";
import { DEAL_STAGES } from "@toolpacks/world";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closingIn } from "./close-month-rollup.js";
import { pack } from "./pack.js";

// Every write path (move_deal_stage, seeding, import, sync, removals) ends in these row
// operations on crm_deals; the rollup must equal a from-scratch GROUP BY of the deals by stage,
// close month, owner and currency after every sequence of them.
type Op =
  | { kind: "insert"; stage: string; owner: string; currency: string; amount: number; close: string }
  | {
      kind: "set";
      pick: number;
      column: "stage" | "owner_id" | "currency" | "amount_minor" | "close_date";
      value: string | number;
    }
  | { kind: "delete"; pick: number }
  // Many rows in one statement (imports write multi-row INSERTs; Postgres keeps the rollup once
  // per statement).
  | { kind: "insertMany"; rows: Extract<Op, { kind: "insert" }>[] }
  | { kind: "closeOfOwner"; owner: string; close: string }
  | { kind: "deleteOfOwner"; owner: string };

const stages = fc.constantFrom(...DEAL_STAGES);
const owners = fc.constantFrom("O-1", "O-2", "O-3");
const currencies = fc.constantFrom("USD", "EUR", "GBP");
const amount = fc.integer({ min: 0, max: 5_000_000 });
// Days around month ends, so deals move between months and periods cut months.
const close = fc.constantFrom(
  "2026-01-31",
  "2026-02-01",
  "2026-02-14",
  "2026-02-28",
  "2026-03-01",
  "2026-03-31",
  "2026-04-15",
);
const pick = fc.nat(1_000);
const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({
    kind: fc.constant("insert" as const),
    stage: stages,
    owner: owners,
    currency: currencies,
    amount,
    close,
  }),
  fc.record({
    kind: fc.constant("set" as const),
    pick,
    column: fc.constant("stage" as const),
    value: stages,
  }),
  fc.record({
    kind: fc.constant("set" as const),
    pick,
    column: fc.constant("owner_id" as const),
    value: owners,
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
    column: fc.constant("amount_minor" as const),
    value: amount,
  }),
  fc.record({
    kind: fc.constant("set" as const),
    pick,
    column: fc.constant("close_date" as const),
    value: close,
  }),
  fc.record({ kind: fc.constant("delete" as const), pick }),
  fc.record({
    kind: fc.constant("insertMany" as const),
    rows: fc.array(
      fc.record({
        kind: fc.constant("insert" as const),
        stage: stages,
        owner: owners,
        currency: currencies,
        amount,
        close,
      }),
      { minLength: 2, maxLength: 6 },
    ),
  }),
  fc.record({ kind: fc.constant("closeOfOwner" as const), owner: owners, close }),
  fc.record({ kind: fc.constant("deleteOfOwner" as const), owner: owners }),
);

const insertDeal = (id: string, o: Extract<Op, { kind: "insert" }>) => ({
  sql: `INSERT INTO crm_deals (id, account_id, owner_id, name, stage, amount_minor, currency, amount_usd_minor, created_on, close_date, stage_changed_on)
        VALUES (?, 'A-1', ?, 'Deal', ?, ?, ?, 0, '2026-01-01', ?, '2026-01-01')`,
  params: [id, o.owner, o.stage, o.amount, o.currency, o.close],
});

describe(`the close-month rollup on ${testStoreDialect()}`, () => {
  let store: Store;
  beforeAll(async () => {
    store = await openTestStore();
    await migratePack(store, pack);
    await store.batch([
      ...["O-1", "O-2", "O-3"].map((id) => ({
        sql: "INSERT INTO crm_owners (id, name, team) VALUES (?, ?, 'east')",
        params: [id, id],
      })),
      {
        sql: `INSERT INTO crm_accounts (id, name, industry, country, currency, segment, employees, owner_id, created_on)
              VALUES ('A-1', 'One', 'retail', 'US', 'USD', 'smb', 10, 'O-1', '2026-01-01')`,
      },
    ]);
  });
  afterAll(async () => {
    await store?.close();
  });

  it("equals a from-scratch recomputation after any sequence of inserts, moves, edits, deletes and rolled-back batches", async () => {
    await checkRollupMatchesRecomputation({
      store,
      source: "crm_deals",
      ops: op,
      write: (o, rows) => {
        if (o.kind === "insert") return [insertDeal(`D-${rows.fresh()}`, o)];
        if (o.kind === "insertMany") {
          const one = o.rows.map((r) => insertDeal(`D-${rows.fresh()}`, r));
          const values = one[0]!.sql.slice(one[0]!.sql.indexOf("VALUES") + 6);
          return [
            {
              sql: one[0]!.sql + `, ${values}`.repeat(one.length - 1),
              params: one.flatMap((s) => s.params),
            },
          ];
        }
        if (o.kind === "closeOfOwner")
          return [
            { sql: "UPDATE crm_deals SET close_date = ? WHERE owner_id = ?", params: [o.close, o.owner] },
          ];
        if (o.kind === "deleteOfOwner")
          return [
            { sql: "DELETE FROM crm_deals WHERE owner_id = ? AND amount_minor % 2 = 0", params: [o.owner] },
          ];
        const id = rows.pick(o.pick);
        if (id === undefined) return [];
        if (o.kind === "delete") return [{ sql: "DELETE FROM crm_deals WHERE id = ?", params: [id] }];
        return [{ sql: `UPDATE crm_deals SET ${o.column} = ? WHERE id = ?`, params: [o.value, id] }];
      },
      rollup: `SELECT stage, close_month, owner_id, currency, deals, amount_minor FROM crm_deal_months
        ORDER BY stage, close_month, owner_id, currency`,
      recompute: `SELECT stage, substr(close_date, 1, 7) AS close_month, owner_id, currency, COUNT(*) AS deals,
        SUM(amount_minor) AS amount_minor FROM crm_deals
        GROUP BY stage, substr(close_date, 1, 7), owner_id, currency ORDER BY stage, close_month, owner_id, currency`,
    });
  });

  it("answers any close period (whole months, ragged first and last days, within one month) as the deals do", async () => {
    const day = fc
      .integer({ min: 0, max: 120 })
      .map((n) => new Date(Date.UTC(2026, 0, 20 + n)).toISOString().slice(0, 10));
    const deals = fc.array(
      fc.record({
        kind: fc.constant("insert" as const),
        stage: stages,
        owner: owners,
        currency: currencies,
        amount,
        close: day,
      }),
      { maxLength: 30 },
    );
    await fc.assert(
      fc.asyncProperty(deals, day, day, async (inserts, a, b) => {
        await store.run("DELETE FROM crm_deals");
        if (inserts.length > 0) await store.batch(inserts.map((o, i) => insertDeal(`P-${i}`, o)));
        const [from, to] = a <= b ? [a, b] : [b, a];
        const closing = closingIn({ label: "p", from, to }, "'closed_won', 'proposal', 'negotiation'");
        const group =
          "GROUP BY stage, close_month, owner_id, currency ORDER BY stage, close_month, owner_id, currency";
        expect(
          await store.all(
            `SELECT stage, close_month, owner_id, currency, SUM(deals) AS deals, SUM(amount_minor) AS amount
             FROM (${closing.sql}) d ${group}`,
            closing.params,
          ),
        ).toEqual(
          await store.all(
            `SELECT stage, substr(close_date, 1, 7) AS close_month, owner_id, currency, COUNT(*) AS deals, SUM(amount_minor) AS amount
             FROM crm_deals WHERE stage IN ('closed_won', 'proposal', 'negotiation') AND close_date BETWEEN ? AND ? ${group}`,
            [from, to],
          ),
        );
      }),
      { numRuns: 40 },
    );
  });
});
