import { readFileSync } from "node:fs";
import { migratePack, type Store } from "@toolpacks/pack-kit";
import {
  checkRollupMatchesRecomputation,
  openTestStore,
  testStoreDialect,
} from "@toolpacks/pack-kit/testing";
import { DEAL_STAGES } from "@toolpacks/world";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pack } from "./pack.js";
import { pipelineRollupMigration } from "./pipeline-rollup.js";
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
  // Many rows in one statement (imports write multi-row INSERTs; Postgres keeps the rollup once
  // per statement).
  | { kind: "insertMany"; stage: string; owner: string; currency: string; amount: number; count: number }
  | { kind: "stageOfOwner"; owner: string; stage: string }
  | { kind: "deleteOfOwner"; owner: string };

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
  fc.record({
    kind: fc.constant("insertMany" as const),
    stage: stages,
    owner: owners,
    currency: currencies,
    amount,
    count: fc.integer({ min: 2, max: 6 }),
  }),
  fc.record({ kind: fc.constant("stageOfOwner" as const), owner: owners, stage: stages }),
  fc.record({ kind: fc.constant("deleteOfOwner" as const), owner: owners }),
);

const SET = { stage: "stage", owner: "owner_id", currency: "currency", amount: "amount_minor" } as const;

describe(`the open-pipeline rollup on ${testStoreDialect()}`, () => {
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
        if (o.kind === "insert")
          return [
            {
              sql: `INSERT INTO crm_deals (id, account_id, owner_id, name, stage, amount_minor, currency, amount_usd_minor, created_on, close_date, stage_changed_on)
                    VALUES (?, 'A-1', ?, 'Deal', ?, ?, ?, 0, '2026-01-01', '2026-06-30', '2026-01-01')`,
              params: [`D-${rows.fresh()}`, o.owner, o.stage, o.amount, o.currency],
            },
          ];
        if (o.kind === "insertMany") {
          const ids = Array.from({ length: o.count }, () => `D-${rows.fresh()}`);
          return [
            {
              sql: `INSERT INTO crm_deals (id, account_id, owner_id, name, stage, amount_minor, currency, amount_usd_minor, created_on, close_date, stage_changed_on)
                    VALUES ${ids.map(() => "(?, 'A-1', ?, 'Deal', ?, ?, ?, 0, '2026-01-01', '2026-06-30', '2026-01-01')").join(", ")}`,
              params: ids.flatMap((id, i) => [id, o.owner, o.stage, o.amount + i, o.currency]),
            },
          ];
        }
        if (o.kind === "stageOfOwner")
          return [{ sql: "UPDATE crm_deals SET stage = ? WHERE owner_id = ?", params: [o.stage, o.owner] }];
        if (o.kind === "deleteOfOwner")
          return [
            { sql: "DELETE FROM crm_deals WHERE owner_id = ? AND amount_minor % 2 = 0", params: [o.owner] },
          ];
        const id = rows.pick(o.pick);
        if (id === undefined) return [];
        if (o.kind === "delete") return [{ sql: "DELETE FROM crm_deals WHERE id = ?", params: [id] }];
        const value =
          o.kind === "stage"
            ? o.stage
            : o.kind === "owner"
              ? o.owner
              : o.kind === "currency"
                ? o.currency
                : o.amount;
        return [{ sql: `UPDATE crm_deals SET ${SET[o.kind]} = ? WHERE id = ?`, params: [value, id] }];
      },
      rollup:
        "SELECT stage, owner_id, currency, deals, amount_minor FROM crm_pipeline_totals ORDER BY stage, owner_id, currency",
      recompute: `SELECT stage, owner_id, currency, COUNT(*) AS deals, SUM(amount_minor) AS amount_minor FROM crm_deals
        WHERE stage IN (${OPEN_STAGE_SQL}) GROUP BY stage, owner_id, currency ORDER BY stage, owner_id, currency`,
    });
  });
});

describe("the open-pipeline rollup's migration", () => {
  it("is byte for byte the SQL stores already applied as 0007 (built by rollupMigration since)", () => {
    const applied = readFileSync(new URL("./pipeline-rollup.applied.json", import.meta.url), "utf8");
    expect(pipelineRollupMigration("0007_crm_pipeline_totals")).toEqual(JSON.parse(applied));
  });
});
