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

  it("rejects a window longer than a year", async () => {
    expect((await wh.fail("movement_summary", { days: 400 })).code).toBe("invalid_arguments");
  });
});
