import { IDEMPOTENCY_KEY_META } from "@toolpacks/pack-kit";
import { describePackConformance, openSeededClient, type SeededClient } from "@toolpacks/pack-kit/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pack } from "./pack.js";

// One call covers names, descriptions, schemas, annotations, read-only purity, budgets,
// bad input, idempotent writes and dry-run. Keep it as the first line of every pack's tests.
describePackConformance(pack);

describe("starter pack answers", () => {
  // A fresh in-memory store seeded with a small world; answers over budget fail the test.
  let seeded: SeededClient;
  beforeAll(async () => {
    seeded = await openSeededClient(pack, { scale: 2_000, seed: 5 });
  });
  afterAll(async () => {
    await seeded.close();
  });

  it("counts every seeded record exactly once across statuses", async () => {
    const { by_status } = await seeded.ask<{ by_status: Array<{ records: number }> }>("starter_summary");
    const total = await seeded.store.first<{ n: number }>("SELECT COUNT(*) AS n FROM starter_records");
    expect(by_status.reduce((sum, row) => sum + row.records, 0)).toBe(total?.n);
  });

  it("walks every open customer once with next_cursor", async () => {
    const customers = await seeded.pages<{ customer_id: string; currency: string }>(
      "starter_summary",
      { limit: 20 },
      "top_customers",
    );
    const seen = customers.map((c) => `${c.customer_id}/${c.currency}`);
    const expected = await seeded.store.first<{ n: number }>(
      "SELECT COUNT(DISTINCT customer_id || '/' || currency) AS n FROM starter_records WHERE status = 'open'",
    );
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.length).toBe(expected?.n);
  });

  it("tells the model where to find ids when a customer has no records", async () => {
    const { code } = await seeded.fail("starter_customer_facts", { customer_id: "C-999999" });
    expect(code).toBe("not_found");
  });

  it("refuses a record in the wrong currency and writes nothing", async () => {
    const before = await seeded.store.first<{ n: number }>("SELECT COUNT(*) AS n FROM starter_records");
    const customer = await seeded.store.first<{ customer_id: string; currency: string }>(
      "SELECT customer_id, currency FROM starter_records ORDER BY id LIMIT 1",
    );
    const wrong = customer?.currency === "USD" ? "EUR" : "USD";
    const { code } = await seeded.fail("create_starter_record", {
      customer_id: customer?.customer_id,
      amount_minor: 500,
      currency: wrong,
    });
    expect(code).toBe("currency_mismatch");
    expect(await seeded.store.first("SELECT COUNT(*) AS n FROM starter_records")).toEqual(before);
  });

  it("opens one record however often a keyed call is retried", async () => {
    const customer = await seeded.store.first<{ customer_id: string; currency: string }>(
      "SELECT customer_id, currency FROM starter_records ORDER BY id LIMIT 1",
    );
    const args = { customer_id: customer?.customer_id, amount_minor: 700, currency: customer?.currency };
    const meta = { [IDEMPOTENCY_KEY_META]: "starter-test-1" };
    const answers = await Promise.all(
      [1, 2, 3].map(() => seeded.ask<{ record_id: string }>("create_starter_record", args, meta)),
    );
    const ids = new Set(answers.map((a) => a.record_id));
    expect(ids.size).toBe(1);
    const rows = await seeded.store.all("SELECT id FROM starter_records WHERE id = ?", [[...ids][0] ?? ""]);
    expect(rows).toHaveLength(1);
  });
});
