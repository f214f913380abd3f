import { migratePack, type Store } from "@toolpacks/pack-kit";
import { openTestStore, testStoreDialect } from "@toolpacks/pack-kit/testing";
import { DEAL_STAGES } from "@toolpacks/world";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pack } from "./pack.js";
import { OPEN_STAGE_SQL } from "./schemas.js";

// Every write path (move_deal_stage, seeding, import, sync, removals) ends in these row
// operations on crm_deals; the rollup must equal a from-scratch GROUP BY of the open deals after
// every sequence of them.
type Op =
  | { kind: "insert"; stage: string; owner: string; currency: string; amount: number }
  | { kind: "stage"; pick: number; stage: string }
  | { kind: "owner"; pick: number; owner: string }
  | { kind: "currency"; pick: number; currency: string }
  | { kind: "amount"; pick: number; amount: number }
  | { kind: "delete"; pick: number }
  | { kind: "batch"; picks: number[]; stage: string };

const stages = fc.constantFrom(...DEAL_STAGES);
const owners = fc.constantFrom("O-1", "O-2", "O-3");
const currencies = fc.constantFrom("USD", "EUR", "GBP");
const amount = fc.integer({ min: 0, max: 5_000_000 });
const pick = fc.nat(1_000);
const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({
    kind: fc.constant("insert" as const),
    stage: stages,
    owner: owners,
    currency: currencies,
    amount,
  }),
  fc.record({ kind: fc.constant("stage" as const), pick, stage: stages }),
  fc.record({ kind: fc.constant("owner" as const), pick, owner: owners }),
  fc.record({ kind: fc.constant("currency" as const), pick, currency: currencies }),
  fc.record({ kind: fc.constant("amount" as const), pick, amount }),
  fc.record({ kind: fc.constant("delete" as const), pick }),
  fc.record({ kind: fc.constant("batch" as const), picks: fc.array(pick, { maxLength: 4 }), stage: stages }),
);

describe(`the open-pipeline rollup on ${testStoreDialect()}`, () => {
  let store: Store;
  let next = 0;
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

  const ids = async () =>
    (await store.all<{ id: string }>("SELECT id FROM crm_deals ORDER BY id")).map((r) => r.id);

  async function apply(o: Op): Promise<void> {
    if (o.kind === "insert") {
      await store.run(
        `INSERT INTO crm_deals (id, account_id, owner_id, name, stage, amount_minor, currency, amount_usd_minor, created_on, close_date, stage_changed_on)
         VALUES (?, 'A-1', ?, 'Deal', ?, ?, ?, 0, '2026-01-01', '2026-06-30', '2026-01-01')`,
        [`D-${++next}`, o.owner, o.stage, o.amount, o.currency],
      );
      return;
    }
    const all = await ids();
    if (all.length === 0) return;
    const id = (p: number) => all[p % all.length]!;
    const set = (column: string, value: string | number, p: number) =>
      store.run(`UPDATE crm_deals SET ${column} = ? WHERE id = ?`, [value, id(p)]);
    if (o.kind === "stage") await set("stage", o.stage, o.pick);
    if (o.kind === "owner") await set("owner_id", o.owner, o.pick);
    if (o.kind === "currency") await set("currency", o.currency, o.pick);
    if (o.kind === "amount") await set("amount_minor", o.amount, o.pick);
    if (o.kind === "delete") await store.run("DELETE FROM crm_deals WHERE id = ?", [id(o.pick)]);
    // Several deals moved in one transaction, then a failing statement: the rollup rolls back with them.
    if (o.kind === "batch") {
      const writes = o.picks.map((p) => ({
        sql: "UPDATE crm_deals SET stage = ? WHERE id = ?",
        params: [o.stage, id(p)],
      }));
      await store.batch(writes);
      await expect(
        store.batch([
          ...writes.map((w) => ({ ...w, params: ["prospecting", w.params[1]!] })),
          { sql: "SELECT nope" },
        ]),
      ).rejects.toThrow();
    }
  }

  const rollup = () =>
    store.all(
      "SELECT stage, owner_id, currency, deals, amount_minor FROM crm_pipeline_totals ORDER BY stage, owner_id, currency",
    );
  const recomputed = () =>
    store.all(
      `SELECT stage, owner_id, currency, COUNT(*) AS deals, SUM(amount_minor) AS amount_minor FROM crm_deals
       WHERE stage IN (${OPEN_STAGE_SQL}) GROUP BY stage, owner_id, currency ORDER BY stage, owner_id, currency`,
    );

  it("equals a from-scratch recomputation after any sequence of inserts, moves, edits, deletes and rolled-back batches", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 25 }), async (ops) => {
        await store.run("DELETE FROM crm_deals");
        expect(await rollup()).toEqual([]);
        for (const o of ops) await apply(o);
        // Exactly the groups with open deals: none left over at zero, none negative.
        expect(await rollup()).toEqual(await recomputed());
      }),
      { numRuns: 30 },
    );
  });
});
