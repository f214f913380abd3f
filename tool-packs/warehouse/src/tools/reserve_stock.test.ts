import { connectPackClient, holdBatches, snapshotStore } from "@toolpacks/pack-kit/testing";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { pack } from "../pack.js";
import { type SeededWarehouse, seededWarehouse } from "../testing/seeded-warehouse.js";

let wh: SeededWarehouse;
beforeEach(async () => {
  wh = await seededWarehouse();
});
afterEach(() => wh.close());

const KEY = "toolpacks.dev/idempotencyKey";
const stockOf = (sku: string) =>
  wh.store.all<{ location_id: string; on_hand: number; reserved: number }>(
    "SELECT location_id, on_hand, reserved FROM wh_stock WHERE sku = ? ORDER BY location_id",
    [sku],
  );
const availableAt = async (sku: string) =>
  Object.fromEntries((await stockOf(sku)).map((s) => [s.location_id, s.on_hand - s.reserved]));

interface Answer {
  status: string;
  created: boolean;
  reservation_id: string | null;
  single_location: string | null;
  allocations: Array<{ sku: string; location_id: string; quantity: number }>;
  shortages: Array<{ sku: string; short_by: number; available: number }>;
}

describe("reserve_stock", () => {
  it("reserves every line at one location that can serve the whole order", async () => {
    const before = await availableAt("SKU-00001");
    const answer = await wh.ask<Answer>(
      "reserve_stock",
      { order_id: "SO-8000001", lines: [{ sku: "SKU-00001", quantity: 5 }] },
      { [KEY]: "r1" },
    );
    expect(answer).toMatchObject({ status: "reserved", created: true, reservation_id: "RES-8000001-1" });
    const at = answer.single_location!;
    expect(before[at]).toBeGreaterThanOrEqual(5);
    const after = await availableAt("SKU-00001");
    expect(after[at]).toBe(before[at]! - 5);
    const again = await wh.ask<Answer>(
      "reserve_stock",
      { order_id: "SO-8000001", lines: [{ sku: "SKU-00001", quantity: 5 }] },
      { [KEY]: "r2" },
    );
    expect(again).toMatchObject({
      status: "reserved",
      created: false,
      reservation_id: "RES-8000001-1",
      allocations: answer.allocations,
    });
    expect(await availableAt("SKU-00001")).toEqual(after);
  });

  it("reserves nothing at all when one line is short, and says what is missing", async () => {
    const lines = [
      { sku: "SKU-00001", quantity: 1 },
      { sku: "SKU-00003", quantity: 1 },
      { sku: "SKU-00002", quantity: 900_000 },
    ];
    const before = await snapshotStore(wh.store);
    const answer = await wh.ask<Answer>(
      "reserve_stock",
      { order_id: "SO-8000002", lines },
      { [KEY]: "short" },
    );
    const available = Object.values(await availableAt("SKU-00002")).reduce((a, b) => a + b, 0);
    expect(answer).toMatchObject({
      status: "short",
      created: false,
      reservation_id: null,
      allocations: [],
      shortages: [{ sku: "SKU-00002", available, short_by: 900_000 - available }],
    });
    // Only the kit's idempotency record of this answer was added; no stock or reservation row moved.
    await wh.store.run("DELETE FROM _idempotency WHERE key = 'short'");
    expect(await snapshotStore(wh.store)).toBe(before);
  });

  it("splits a line across locations only when no single location can serve it", async () => {
    const stock = await stockOf("SKU-00001");
    const total = stock.reduce((n, s) => n + s.on_hand - s.reserved, 0);
    const best = Math.max(...stock.map((s) => s.on_hand - s.reserved));
    const quantity = best + 1;
    expect(quantity).toBeLessThanOrEqual(total);
    const nosplit = await wh.ask<Answer>("reserve_stock", {
      order_id: "SO-8000003",
      lines: [{ sku: "SKU-00001", quantity }],
      split: false,
    });
    expect(nosplit.status).toBe("short");
    const split = await wh.ask<Answer>("reserve_stock", {
      order_id: "SO-8000003",
      lines: [{ sku: "SKU-00001", quantity }],
    });
    expect(split).toMatchObject({ status: "reserved", single_location: null });
    expect(split.allocations.reduce((n, a) => n + a.quantity, 0)).toBe(quantity);
    expect(split.allocations.length).toBeGreaterThan(1);
  });

  it("never reserves more than is on hand when orders race for the same scarce stock", async () => {
    const available = (await stockOf("SKU-00001")).reduce((n, s) => n + s.on_hand - s.reserved, 0);
    const each = Math.ceil(available / 3);
    const heldSql =
      "SELECT COALESCE(SUM(quantity), 0) AS n FROM wh_reservation_lines l JOIN wh_reservations r ON r.id = l.reservation_id WHERE r.status = 'active'";
    // The world's confirmed orders already hold their reservations; the race adds to those.
    const heldBefore = (await wh.store.first<{ n: number }>(heldSql))!.n;
    // All ten plan against the same stock before any commits; the CHECK refuses late ones.
    const racing = await connectPackClient(pack, { store: holdBatches(wh.store, 10), budget: "error" });
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        racing.call(
          "reserve_stock",
          { order_id: `SO-700000${i}`, lines: [{ sku: "SKU-00001", quantity: each }] },
          { [KEY]: `race-${i}` },
        ),
      ),
    );
    await racing.close();
    // The kit plans a refused call again against the stock as it is then, until the plan wins or
    // the stock is short: every order gets a business answer, none a write_rejected.
    expect(results.filter((r) => r.isError)).toEqual([]);
    const statuses = results.map((r) => (r.structuredContent as unknown as Answer).status);
    const reserved = results.filter((r) => (r.structuredContent as unknown as Answer).status === "reserved");
    expect(reserved.length).toBe(Math.floor(available / each));
    expect(statuses.filter((s) => s === "short")).toHaveLength(10 - reserved.length);
    for (const s of await stockOf("SKU-00001")) expect(s.reserved).toBeLessThanOrEqual(s.on_hand);
    const held = await wh.store.first<{ n: number }>(heldSql);
    expect(held!.n - heldBefore).toBe(reserved.length * each);
  });

  it("refuses a repeated SKU and reports an already shipped order without reserving", async () => {
    const repeated = await wh.fail("reserve_stock", {
      order_id: "SO-8000004",
      lines: [
        { sku: "SKU-00001", quantity: 1 },
        { sku: "SKU-00001", quantity: 2 },
      ],
    });
    expect(repeated.code).toBe("duplicate_sku");
    const shipped = [...wh.world.warehouse.shipments()][0]!;
    const answer = await wh.ask<Answer>("reserve_stock", {
      order_id: shipped.sales_order_id,
      lines: [{ sku: "SKU-00001", quantity: 1 }],
    });
    expect(answer).toMatchObject({ status: "shipped", created: false, allocations: [] });
  });
});

describe("the stock CHECK", () => {
  it("rejects the second of two reservations planned on the same stock before either was written", async () => {
    const { reserveStock } = await import("./reserve_stock.js");
    const { readOnlyView } = await import("@toolpacks/pack-kit");
    const context = {
      store: readOnlyView(wh.store),
      asOf: wh.world.asOf,
      principal: undefined,
      signal: new AbortController().signal,
    };
    const best = Math.max(...(await stockOf("SKU-00001")).map((s) => s.on_hand - s.reserved));
    const lines = [{ sku: "SKU-00001", quantity: best }];
    const first = await reserveStock.handler({ order_id: "SO-8000001", lines, split: false }, context);
    const second = await reserveStock.handler({ order_id: "SO-8000002", lines, split: false }, context);
    await wh.store.batch(first.writes);
    // SQLite: "CHECK constraint failed"; Postgres: "violates check constraint".
    await expect(wh.store.batch(second.writes)).rejects.toThrow(
      /CHECK constraint failed|violates check constraint/,
    );
    for (const s of await stockOf("SKU-00001")) expect(s.reserved).toBeLessThanOrEqual(s.on_hand);
    expect(await wh.store.all("SELECT id FROM wh_reservations WHERE order_id = 'SO-8000002'")).toEqual([]);
  });
});

describe("reserve_stock input", () => {
  it("takes order lines as the CRM and ERP return them (unit prices are ignored)", async () => {
    const answer = await wh.ask<Answer>("reserve_stock", {
      order_id: "SO-8000005",
      lines: [{ sku: "SKU-00001", quantity: 1, net_unit_price_minor: 39_500 }],
    });
    expect(answer).toMatchObject({ status: "reserved", allocations: [{ sku: "SKU-00001", quantity: 1 }] });
  });
});
