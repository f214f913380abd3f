import { migratePack, type Statement, type Store } from "@toolpacks/pack-kit";
import {
  checkRollupMatchesRecomputation,
  openTestStore,
  type RollupRows,
  testStoreDialect,
} from "@toolpacks/pack-kit/testing";
import { DEAL_STAGES } from "@toolpacks/world";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pack } from "./pack.js";
import { type Cutoffs, type FlagSums, ownerFlagSums, staleFlagSums } from "./stale-cells.js";

// Days around month ends (2026-03-25 .. 2026-05-05), so deals sit on both sides of cutoffs that
// fall on a month's first day, its last day and in its middle.
const dayAt = (n: number) => new Date(Date.UTC(2026, 2, 25 + n)).toISOString().slice(0, 10);
const day = fc.integer({ min: 0, max: 41 }).map(dayAt);
// An activity is a timestamp (it compares with a day by its first ten characters), or none.
const activity = fc.option(
  day.map((d) => `${d}T09:30:00Z`),
  { nil: null },
);

type Deal = {
  kind: "insert";
  stage: string;
  owner: string;
  currency: string;
  amount: number;
  close: string;
  created: string;
  changed: string;
  active: string | null;
};
type Op =
  | Deal
  | { kind: "insertMany"; rows: Deal[] }
  | { kind: "set"; pick: number; column: string; value: string | number | null }
  | { kind: "delete"; pick: number }
  // Many rows in one statement (Postgres keeps the rollups once per statement).
  | { kind: "setOfOwner"; owner: string; column: string; value: string | number | null }
  | { kind: "deleteOfCurrency"; currency: string };

const deal: fc.Arbitrary<Deal> = fc.record({
  kind: fc.constant("insert" as const),
  stage: fc.constantFrom(...DEAL_STAGES),
  owner: fc.constantFrom("O-1", "O-2"),
  currency: fc.constantFrom("USD", "EUR", "GBP"),
  amount: fc.integer({ min: 0, max: 5_000_000 }),
  close: day,
  created: day,
  changed: day,
  active: activity,
});
const set = (column: string, value: fc.Arbitrary<string | number | null>) =>
  fc.record({ kind: fc.constant("set" as const), pick: fc.nat(1_000), column: fc.constant(column), value });
const op: fc.Arbitrary<Op> = fc.oneof(
  deal,
  fc.record({
    kind: fc.constant("insertMany" as const),
    rows: fc.array(deal, { minLength: 2, maxLength: 5 }),
  }),
  set("stage", fc.constantFrom(...DEAL_STAGES)),
  set("close_date", day),
  set("stage_changed_on", day),
  set("last_activity_at", activity),
  set("created_on", day),
  set("currency", fc.constantFrom("USD", "EUR", "GBP")),
  set("amount_minor", fc.integer({ min: 0, max: 5_000_000 })),
  fc.record({ kind: fc.constant("delete" as const), pick: fc.nat(1_000) }),
  fc
    .oneof(
      set("stage", fc.constantFrom(...DEAL_STAGES)),
      set("close_date", day),
      set("stage_changed_on", day),
      set("last_activity_at", activity),
    )
    .chain((o) =>
      fc.constantFrom("O-1", "O-2").map((owner) => ({
        kind: "setOfOwner" as const,
        owner,
        column: o.column,
        value: o.value,
      })),
    ),
  fc.record({
    kind: fc.constant("deleteOfCurrency" as const),
    currency: fc.constantFrom("USD", "EUR", "GBP"),
  }),
);

const writeOf = (o: Op, rows: RollupRows): Statement[] => {
  if (o.kind === "insert") return [insertDeals([{ id: `D-${rows.fresh()}`, d: o }])];
  if (o.kind === "insertMany") return [insertDeals(o.rows.map((d) => ({ id: `D-${rows.fresh()}`, d })))];
  if (o.kind === "setOfOwner")
    return [{ sql: `UPDATE crm_deals SET ${o.column} = ? WHERE owner_id = ?`, params: [o.value, o.owner] }];
  if (o.kind === "deleteOfCurrency")
    return [
      { sql: "DELETE FROM crm_deals WHERE currency = ? AND amount_minor % 2 = 0", params: [o.currency] },
    ];
  const id = rows.pick(o.pick);
  if (id === undefined) return [];
  if (o.kind === "delete") return [{ sql: "DELETE FROM crm_deals WHERE id = ?", params: [id] }];
  return [{ sql: `UPDATE crm_deals SET ${o.column} = ? WHERE id = ?`, params: [o.value, id] }];
};

const COLUMNS = `(id, account_id, owner_id, name, stage, amount_minor, currency, amount_usd_minor,
  created_on, close_date, stage_changed_on, last_activity_at)`;
const insertDeals = (rows: { id: string; d: Deal }[]) => ({
  sql: `INSERT INTO crm_deals ${COLUMNS} VALUES ${rows.map(() => "(?, 'A-1', ?, 'Deal', ?, ?, ?, 0, ?, ?, ?, ?)").join(", ")}`,
  params: rows.flatMap(({ id, d }) => [
    id,
    d.owner,
    d.stage,
    d.amount,
    d.currency,
    d.created,
    d.close,
    d.changed,
    d.active,
  ]),
});

// The flags of every open deal from its own dates: what the cells and their corrections must give.
async function flagsOneByOne(store: Store, c: Cutoffs, owner?: string): Promise<FlagSums> {
  const rows = await store.all<{ currency: "USD"; flags: number; n: number; a: number }>(
    `SELECT currency, flags, COUNT(*) AS n, SUM(amount_minor) AS a FROM (
       SELECT currency, amount_minor, (CASE WHEN close_date < ? THEN 1 ELSE 0 END)
         + (CASE WHEN COALESCE(last_activity_at, created_on) < ? THEN 2 ELSE 0 END)
         + (CASE WHEN stage_changed_on < ? THEN 4 ELSE 0 END) AS flags
       FROM crm_deals WHERE stage IN ('prospecting', 'qualification', 'proposal', 'negotiation')
       ${owner ? "AND owner_id = ?" : ""}) d GROUP BY currency, flags`,
    [c.close, c.activity, c.stage, ...(owner ? [owner] : [])],
  );
  const sums: FlagSums = new Map();
  for (const r of rows) {
    const sets = sums.get(r.currency) ?? Array.from({ length: 8 }, () => ({ deals: 0, amount: 0 }));
    sums.set(r.currency, sets);
    sets[r.flags]!.deals += r.n;
    sets[r.flags]!.amount += r.a;
  }
  return sums;
}

// Currencies in order, without flag sets that hold no deal (the cells may keep zeroed sets).
const live = (sums: FlagSums) =>
  [...sums]
    .sort(([x], [y]) => (x < y ? -1 : 1))
    .map(([currency, sets]) => ({
      currency,
      sets: sets.map((s, flags) => ({ flags, ...s })).filter((s) => s.deals !== 0),
    }))
    .filter((c) => c.sets.length > 0);

describe(`the stale-deal cells on ${testStoreDialect()}`, () => {
  let store: Store;
  beforeAll(async () => {
    store = await openTestStore();
    await migratePack(store, pack);
    await store.batch([
      ...["O-1", "O-2"].map((id) => ({
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

  it("equal a from-scratch recomputation after any sequence of inserts, moves, date edits, deletes and rolled-back batches", async () => {
    await checkRollupMatchesRecomputation({
      store,
      source: "crm_deals",
      ops: op,
      write: writeOf,
      rollup: `SELECT currency, close_month, activity_month, stage_month, deals, amount_minor FROM crm_stale_cells
        ORDER BY currency, close_month, activity_month, stage_month`,
      recompute: `SELECT currency, substr(close_date, 1, 7) AS close_month,
          substr(COALESCE(last_activity_at, created_on), 1, 7) AS activity_month,
          substr(stage_changed_on, 1, 7) AS stage_month, COUNT(*) AS deals, SUM(amount_minor) AS amount_minor
        FROM crm_deals WHERE stage IN ('prospecting', 'qualification', 'proposal', 'negotiation')
        GROUP BY currency, substr(close_date, 1, 7), substr(COALESCE(last_activity_at, created_on), 1, 7),
          substr(stage_changed_on, 1, 7)
        ORDER BY currency, close_month, activity_month, stage_month`,
    });
  });

  it("day slabs equal a from-scratch recomputation after any sequence of writes", async () => {
    const open = "stage IN ('prospecting', 'qualification', 'proposal', 'negotiation')";
    const activity = "COALESCE(last_activity_at, created_on)";
    const slabs = [
      ["close", "close_date", `substr(${activity}, 1, 7)`, "substr(stage_changed_on, 1, 7)"],
      [
        "activity",
        `substr(${activity}, 1, 10)`,
        "substr(close_date, 1, 7)",
        "substr(stage_changed_on, 1, 7)",
      ],
      ["stage", "stage_changed_on", "substr(close_date, 1, 7)", `substr(${activity}, 1, 7)`],
    ] as const;
    const months = {
      close: ["activity_month", "stage_month"],
      activity: ["close_month", "stage_month"],
      stage: ["close_month", "activity_month"],
    };
    await checkRollupMatchesRecomputation({
      store,
      source: "crm_deals",
      ops: op,
      write: writeOf,
      rollup: `${slabs
        .map(
          ([name]) =>
            `SELECT '${name}' AS slab, currency, day, ${months[name].join(" AS m1, ")} AS m2, deals, amount_minor FROM crm_stale_${name}_days`,
        )
        .join(" UNION ALL ")} ORDER BY slab, currency, day, m1, m2`,
      recompute: `${slabs
        .map(
          ([name, day, m1, m2]) =>
            `SELECT '${name}' AS slab, currency, ${day} AS day, ${m1} AS m1, ${m2} AS m2, COUNT(*) AS deals,
               SUM(amount_minor) AS amount_minor FROM crm_deals WHERE ${open} GROUP BY currency, ${day}, ${m1}, ${m2}`,
        )
        .join(" UNION ALL ")} ORDER BY slab, currency, day, m1, m2`,
    });
  });

  // Either dates anywhere in the range, or dates and cutoffs crowded into April's first days, so
  // that many deals sit on the minority side of two or all three cutoffs at once.
  const crowded = fc.integer({ min: 0, max: 11 }).map((n) => `2026-04-${String(1 + n).padStart(2, "0")}`);
  const scene = fc.oneof(
    fc.record({ deals: fc.array(deal, { maxLength: 40 }), close: day, activity: day, stage: day }),
    fc.record({
      deals: fc.array(
        fc.record({
          kind: fc.constant("insert" as const),
          stage: fc.constantFrom(...DEAL_STAGES),
          owner: fc.constantFrom("O-1", "O-2"),
          currency: fc.constantFrom("USD", "EUR", "GBP"),
          amount: fc.integer({ min: 0, max: 5_000_000 }),
          close: crowded,
          created: crowded,
          changed: crowded,
          active: fc.option(
            crowded.map((d) => `${d}T09:30:00Z`),
            { nil: null },
          ),
        }),
        { maxLength: 40 },
      ),
      close: crowded,
      activity: crowded,
      stage: crowded,
    }),
  );

  it("flag every open deal as its own dates do, for any three cutoffs (a month's first, last or middle day)", async () => {
    await fc.assert(
      fc.asyncProperty(scene, fc.constantFrom("O-1", "O-2"), async ({ deals, ...cutoffs }, owner) => {
        await store.run("DELETE FROM crm_deals");
        if (deals.length > 0) await store.batch([insertDeals(deals.map((d, i) => ({ id: `P-${i}`, d })))]);
        expect(live(await staleFlagSums(store, cutoffs))).toEqual(live(await flagsOneByOne(store, cutoffs)));
        expect(live(await ownerFlagSums(store, cutoffs, owner))).toEqual(
          live(await flagsOneByOne(store, cutoffs, owner)),
        );
      }),
      { numRuns: 150 },
    );
  });
});
