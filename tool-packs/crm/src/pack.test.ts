import { describePackConformance } from "@toolpacks/pack-kit/testing";
import { CURRENCIES, type Currency } from "@toolpacks/world";
import { describe, expect, expectTypeOf, it } from "vitest";
import { z } from "zod";
import { createCrmPack, pack } from "./pack.js";
import type { dealsClosed } from "./tools/deals_closed.js";

// Largest pages are checked on a 10^5-row world, where every paged tool's pages fill up.
describePackConformance(pack, { fullPages: { world: { scale: 100_000, seed: 1 } } });

describe("createCrmPack", () => {
  it("lists nine read tools (sync_status among them) and three write tools", () => {
    expect(pack.tools.filter((t) => t.kind === "read")).toHaveLength(9);
    expect(pack.tool("sync_status")?.kind).toBe("read");
    expect(pack.tools.filter((t) => t.kind === "write").map((t) => t.name)).toEqual([
      "move_deal_stage",
      "log_activity",
      "create_follow_up_task",
    ]);
  });

  it("leaves every write tool out when read-only", () => {
    const readOnly = createCrmPack({ readOnly: true });
    expect(readOnly.tools.every((t) => t.kind === "read")).toBe(true);
    expect(readOnly.tool("move_deal_stage")).toBeUndefined();
  });

  it("requires crm:read for reads and crm:write for writes", () => {
    for (const tool of pack.tools) expect(tool.scope).toBe(tool.kind === "read" ? "crm:read" : "crm:write");
  });

  it("answers money currencies as the world's ISO union, which ERP and billing writes take", () => {
    type DealCurrency = z.output<typeof dealsClosed.output>["deals"][number]["currency"];
    expectTypeOf<DealCurrency>().toEqualTypeOf<Currency>();
    // The output JSON Schema is what code mode turns into the program's types.
    const currencyAt = (tool: string, path: string[]) =>
      path.reduce<Record<string, unknown>>(
        (node, key) => node[key] as Record<string, unknown>,
        z.toJSONSchema(pack.tool(tool)!.output) as Record<string, unknown>,
      )["enum"];
    const props = (...keys: string[]) => keys.flatMap((k) => ["properties", k]);
    expect(currencyAt("deals_closed", [...props("deals"), "items", ...props("currency")])).toEqual([
      ...CURRENCIES,
    ]);
    expect(
      currencyAt("deals_closed", [...props("totals", "by_currency"), "items", ...props("currency")]),
    ).toEqual([...CURRENCIES]);
    expect(currencyAt("get_deal", props("deal", "currency"))).toEqual([...CURRENCIES]);
    expect(currencyAt("account_health", props("account", "currency"))).toEqual([...CURRENCIES]);
  });
});
