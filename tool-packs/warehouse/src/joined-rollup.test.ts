import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { migrations } from "./migrations.js";

// 0003, 0008 and 0013 were applied by stores before their triggers came from joinedRollupTriggers;
// migrations are tracked by id, so a store built today must get exactly the SQL they got.
describe("the joined rollups' migrations", () => {
  it("are byte for byte the SQL stores already applied as 0003, 0008 and 0013", () => {
    const applied = readFileSync(new URL("./joined-rollups.applied.json", import.meta.url), "utf8");
    const ids = ["0003_wh_valuation_rollup", "0008_wh_reservation_totals", "0013_wh_location_sku_valuation"];
    expect(JSON.parse(JSON.stringify(migrations.filter((m) => ids.includes(m.id))))).toEqual(
      JSON.parse(applied),
    );
  });
});
