import { migratePack, type Statement, type Store } from "@toolpacks/pack-kit";
import {
  checkRollupMatchesRecomputation,
  openTestStore,
  testStoreDialect,
} from "@toolpacks/pack-kit/testing";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rankIssued } from "./movement-ranking.js";
import { pack } from "./pack.js";

// Every write path (the write tools, seeding, sync) ends in these row operations on wh_movements;
// each movement rollup must equal a from-scratch GROUP BY after every sequence of them.
type Op =
  | { kind: "insert"; sku: string; location: string; move: string; quantity: number; at: string }
  | {
      kind: "set";
      pick: number;
      column: "sku" | "location_id" | "kind" | "quantity" | "occurred_at";
      value: string | number;
    }
  | { kind: "delete"; pick: number };

const skus = fc.constantFrom("SKU-1", "SKU-2", "SKU-3");
const locations = fc.constantFrom("WH-1", "WH-2");
const moves = fc.constantFrom("receipt", "issue", "adjustment", "transfer");
const quantity = fc.integer({ min: -60, max: 60 });
// Moments around month ends, so movements change days and months.
const at = fc.constantFrom(
  "2026-04-30T23:59:00Z",
  "2026-05-01T00:00:00Z",
  "2026-05-15T10:00:00Z",
  "2026-05-31T08:00:00Z",
  "2026-06-01T12:00:00Z",
);
const pick = fc.nat(1_000);
const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({
    kind: fc.constant("insert" as const),
    sku: skus,
    location: locations,
    move: moves,
    quantity,
    at,
  }),
  fc.record({ kind: fc.constant("set" as const), pick, column: fc.constant("sku" as const), value: skus }),
  fc.record({
    kind: fc.constant("set" as const),
    pick,
    column: fc.constant("location_id" as const),
    value: locations,
  }),
  fc.record({ kind: fc.constant("set" as const), pick, column: fc.constant("kind" as const), value: moves }),
  fc.record({
    kind: fc.constant("set" as const),
    pick,
    column: fc.constant("quantity" as const),
    value: quantity,
  }),
  fc.record({
    kind: fc.constant("set" as const),
    pick,
    column: fc.constant("occurred_at" as const),
    value: at,
  }),
  fc.record({ kind: fc.constant("delete" as const), pick }),
);

const write = (o: Op, rows: { pick(n: number): string | undefined; fresh(): number }): Statement[] => {
  if (o.kind === "insert") {
    return [
      {
        sql: `INSERT INTO wh_movements (id, sku, location_id, kind, quantity, occurred_at) VALUES (?, ?, ?, ?, ?, ?)`,
        params: [`MV-${rows.fresh()}`, o.sku, o.location, o.move, o.quantity, o.at],
      },
    ];
  }
  const id = rows.pick(o.pick);
  if (id === undefined) return [];
  if (o.kind === "delete") return [{ sql: "DELETE FROM wh_movements WHERE id = ?", params: [id] }];
  return [{ sql: `UPDATE wh_movements SET ${o.column} = ? WHERE id = ?`, params: [o.value, id] }];
};

const FIGURES = `COUNT(*) AS movements, SUM(CASE WHEN quantity > 0 THEN quantity ELSE 0 END) AS units_in,
  SUM(CASE WHEN quantity < 0 THEN -quantity ELSE 0 END) AS units_out, SUM(quantity) AS net`;

describe(`the movement rollups on ${testStoreDialect()}`, () => {
  let store: Store;
  beforeAll(async () => {
    store = await openTestStore();
    await migratePack(store, pack);
  });
  afterAll(async () => {
    await store?.close();
  });

  it.each([
    {
      table: "wh_movement_days",
      keys: ["day", "kind", "location_id"],
      of: "substr(occurred_at, 1, 10) AS day, kind, location_id",
    },
    { table: "wh_movement_months", keys: ["month", "sku"], of: "substr(occurred_at, 1, 7) AS month, sku" },
    {
      table: "wh_movement_location_months",
      keys: ["month", "location_id", "sku"],
      of: "substr(occurred_at, 1, 7) AS month, location_id, sku",
    },
  ])(
    "$table equals a from-scratch recomputation after any sequence of movement writes",
    async ({ table, keys, of }) => {
      const order = keys.join(", ");
      await checkRollupMatchesRecomputation({
        store,
        source: "wh_movements",
        ops: op,
        write,
        rollup: `SELECT ${order}, movements, units_in, units_out, net FROM ${table} ORDER BY ${order}`,
        recompute: `SELECT ${of}, ${FIGURES} FROM wh_movements GROUP BY ${keys
          .map((k) =>
            k === "day" ? "substr(occurred_at, 1, 10)" : k === "month" ? "substr(occurred_at, 1, 7)" : k,
          )
          .join(", ")} ORDER BY ${order}`,
      });
    },
  );

  it("ranks SKUs by units issued over any window, location and page exactly as grouping the window's movements does", async () => {
    const movement = fc.record({
      sku: fc.integer({ min: 1, max: 9 }),
      location: locations,
      quantity: fc.integer({ min: -30, max: 8 }),
      day: fc.integer({ min: 0, max: 75 }),
    });
    const window = fc.record({
      start: fc.integer({ min: 0, max: 40 }),
      days: fc.integer({ min: 1, max: 70 }),
      location: fc.option(locations, { nil: undefined }),
      offset: fc.integer({ min: 0, max: 3 }),
      count: fc.integer({ min: 1, max: 4 }),
      firstRead: fc.integer({ min: 1, max: 4 }),
    });
    const dayOf = (n: number) => new Date(Date.UTC(2026, 3, 20 + n)).toISOString().slice(0, 10);
    let ranked = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(movement, { minLength: 20, maxLength: 120 }), window, async (moves, w) => {
        await store.run("DELETE FROM wh_movements");
        let n = 0;
        for (const m of moves) {
          await store.run(
            "INSERT INTO wh_movements (id, sku, location_id, kind, quantity, occurred_at) VALUES (?, ?, ?, 'issue', ?, ?)",
            [
              `MV-${++n}`,
              `SKU-${String(m.sku).padStart(2, "0")}`,
              m.location,
              m.quantity,
              `${dayOf(m.day)}T09:30:00Z`,
            ],
          );
        }
        const from = dayOf(w.start);
        const to = dayOf(w.start + w.days - 1);
        const page = await rankIssued(
          store,
          { from, to, location_id: w.location },
          w.offset,
          w.count,
          w.firstRead,
        );
        if (page === undefined) return;
        ranked++;
        const expected = await store.all(
          `SELECT sku, SUM(CASE WHEN quantity < 0 THEN -quantity ELSE 0 END) AS units_out,
             SUM(CASE WHEN quantity > 0 THEN quantity ELSE 0 END) AS units_in, SUM(quantity) AS net
           FROM wh_movements WHERE occurred_at >= ? AND occurred_at < ?${w.location ? " AND location_id = ?" : ""}
           GROUP BY sku ORDER BY units_out DESC, sku LIMIT ? OFFSET ?`,
          [from, `${dayOf(w.start + w.days)}`, ...(w.location ? [w.location] : []), w.count, w.offset],
        );
        expect(page).toEqual(expected);
      }),
      { numRuns: 150 },
    );
    // The bounds settle most pages; the rest fall back to grouping the movements.
    expect(ranked).toBeGreaterThan(25);
  });
});
