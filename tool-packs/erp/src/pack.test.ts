import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pack } from "./pack.js";
import { type SeededErp, seededErp } from "./testing/seeded-erp.js";

let erp: SeededErp;
beforeAll(async () => {
  erp = await seededErp();
});
afterAll(() => erp.close());

describe("the ERP pack", () => {
  it("lists eight reads (sync_status among them) and four writes with scopes, budgets and all four annotations", async () => {
    const { tools } = await erp.client.client.listTools();
    expect(tools.map((t) => t.name)).toEqual([
      "order_status",
      "orders_for_deals",
      "open_orders",
      "order_to_cash_by_customer",
      "purchase_orders",
      "supplier_lead_times",
      "item_margins",
      "sync_status",
      "create_sales_order",
      "confirm_sales_order",
      "record_shipment",
      "create_purchase_order",
    ]);
    for (const tool of tools) {
      const write = /^(create|confirm|record)_/.test(tool.name);
      expect(tool._meta?.["toolpacks.dev/scope"]).toBe(write ? "erp:write" : "erp:read");
      expect(tool.annotations).toMatchObject({ readOnlyHint: !write, openWorldHint: false });
      expect(tool.annotations?.destructiveHint).toBe(false);
      expect(tool.description?.length).toBeGreaterThan(120);
    }
  });

  it("answers every documented example of a read tool within its budget, as of the world's date", async () => {
    for (const tool of pack.tools.filter((t) => t.kind === "read")) {
      for (const example of tool.examples) {
        const answer = await erp.ask(tool.name, example);
        expect(answer["as_of"], `${tool.name} ${JSON.stringify(example)}`).toBe(erp.world.asOf);
      }
    }
  });

  it("turns unknown fields and malformed ids into actionable argument errors", async () => {
    const unknown = await erp.fail("order_status", { order_ids: ["SO-0000001"], verbose: true });
    expect(unknown.code).toBe("invalid_arguments");
    const malformed = await erp.fail("order_status", { order_ids: ["42; DROP TABLE erp_items"] });
    expect(malformed.code).toBe("invalid_arguments");
    expect(malformed.text).toContain("SO-0000042");
  });
});
