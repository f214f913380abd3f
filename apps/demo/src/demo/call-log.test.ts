import { describe, expect, it } from "vitest";
import type { RecordedCall } from "../codemode/recorder.js";
import { describeWrite, groupReads } from "./call-log.js";

const line = (over: Partial<RecordedCall>): RecordedCall => ({
  runId: "r",
  position: 0,
  server: "crm",
  tool: "deals_closed",
  kind: "read",
  args: {},
  idempotencyKey: null,
  ok: true,
  structured: undefined,
  replayed: false,
  ms: 1,
  bytes: 100,
  ...over,
});

describe("groupReads", () => {
  it("counts calls and bytes per read tool and leaves writes out", () => {
    const groups = groupReads([
      line({}),
      line({ bytes: 50 }),
      line({ server: "erp", tool: "orders_for_deals" }),
      line({ server: "erp", tool: "create_sales_order", kind: "write" }),
    ]);
    expect(groups).toEqual([
      { tool: "crm.deals_closed", calls: 2, bytes: 150 },
      { tool: "erp.orders_for_deals", calls: 1, bytes: 100 },
    ]);
  });
});

describe("describeWrite", () => {
  it("names the ids a write created and whether it changed anything", () => {
    expect(
      describeWrite({ order_id: "SO-1", deal_id: "D-1", customer_id: "C-1", created: false, total_minor: 5 }),
    ).toBe("order_id SO-1, deal_id D-1, created false");
  });

  it("says nothing for a write without an answer", () => {
    expect(describeWrite(undefined)).toBe("");
  });
});
