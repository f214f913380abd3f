import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type SeededWarehouse, seededWarehouse } from "../testing/seeded-warehouse.js";

let wh: SeededWarehouse;
beforeAll(async () => {
  wh = await seededWarehouse();
});
afterAll(() => wh.close());

describe("movement_summary", () => {
  it("sums units in, out and net per kind over the window like the world's movements", async () => {
    const from = new Date(Date.parse(wh.world.asOf) - 29 * 86_400_000).toISOString().slice(0, 10);
    const inside = [...wh.world.warehouse.movements()].filter((m) => m.occurred_at >= from);
    const answer = await wh.ask<{
      window: { from: string };
      totals: { movements: number; units_in: number; units_out: number; net: number };
      by_kind: Array<{ kind: string; movements: number; net: number }>;
    }>("movement_summary", {});
    expect(answer.window.from).toBe(from);
    expect(answer.totals).toEqual({
      movements: inside.length,
      units_in: inside.reduce((n, m) => n + Math.max(m.quantity, 0), 0),
      units_out: inside.reduce((n, m) => n - Math.min(m.quantity, 0), 0),
      net: inside.reduce((n, m) => n + m.quantity, 0),
    });
    for (const k of answer.by_kind) {
      expect(k.movements).toBe(inside.filter((m) => m.kind === k.kind).length);
    }
  });

  // Short windows and one location rank from the day index, long ones from the SKU index: the
  // ranking must be the world's whichever index the window picks.
  it("ranks SKUs by units issued like the world's movements, for short and long windows, per location too", async () => {
    for (const args of [
      { days: 30 },
      { days: 90 },
      { days: 30, location_id: "WH-02" },
      { days: 120, location_id: "WH-01" },
    ]) {
      const from = new Date(Date.parse(wh.world.asOf) - (args.days - 1) * 86_400_000)
        .toISOString()
        .slice(0, 10);
      const perSku = new Map<string, { sku: string; units_out: number; units_in: number; net: number }>();
      for (const m of wh.world.warehouse.movements()) {
        if (m.occurred_at < from || ("location_id" in args && m.location_id !== args.location_id)) continue;
        const row = perSku.get(m.sku) ?? { sku: m.sku, units_out: 0, units_in: 0, net: 0 };
        row.units_out -= Math.min(m.quantity, 0);
        row.units_in += Math.max(m.quantity, 0);
        row.net += m.quantity;
        perSku.set(m.sku, row);
      }
      const expected = [...perSku.values()]
        .sort((a, b) => b.units_out - a.units_out || (a.sku < b.sku ? -1 : 1))
        .slice(0, 20);
      const answer = await wh.ask<{ top_issued: unknown[] }>("movement_summary", { ...args, limit: 20 });
      expect(answer.top_issued, JSON.stringify(args)).toEqual(expected);
    }
  });

  it("rejects a window longer than a year", async () => {
    expect((await wh.fail("movement_summary", { days: 400 })).code).toBe("invalid_arguments");
  });
});
