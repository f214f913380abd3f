import { ERROR_CODE_META, IDEMPOTENCY_KEY_META, preparePackStore, type Store } from "@toolpacks/pack-kit";
import { openSqliteStore } from "@toolpacks/pack-kit/node";
import { connectPackClient, describePackConformance, type PackClient } from "@toolpacks/pack-kit/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pack } from "./pack.js";

// One call covers names, descriptions, schemas, annotations, read-only purity, budgets,
// bad input, idempotent writes and dry-run. Keep it as the first line of every pack's tests.
describePackConformance(pack);

describe("starter pack answers", () => {
  let store: Store;
  let client: PackClient;
  beforeAll(async () => {
    store = openSqliteStore(":memory:");
    await preparePackStore(store, pack, { scale: 2_000, seed: 5 });
    client = await connectPackClient(pack, { store, budget: "error" });
  });
  afterAll(async () => {
    await client.close();
    await store.close();
  });

  it("counts every seeded record exactly once across statuses", async () => {
    const result = await client.call("starter_summary", {});
    const { by_status } = result.structuredContent as { by_status: Array<{ records: number }> };
    const total = await store.first<{ n: number }>("SELECT COUNT(*) AS n FROM starter_records");
    expect(by_status.reduce((sum, row) => sum + row.records, 0)).toBe(total?.n);
  });

  it("walks every open customer once with next_cursor", async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const result = await client.call("starter_summary", { limit: 20, ...(cursor ? { cursor } : {}) });
      const answer = result.structuredContent as {
        top_customers: Array<{ customer_id: string; currency: string }>;
        next_cursor: string | null;
      };
      seen.push(...answer.top_customers.map((c) => `${c.customer_id}/${c.currency}`));
      cursor = answer.next_cursor;
    } while (cursor);
    const expected = await store.first<{ n: number }>(
      "SELECT COUNT(DISTINCT customer_id || '/' || currency) AS n FROM starter_records WHERE status = 'open'",
    );
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.length).toBe(expected?.n);
  });

  it("tells the model where to find ids when a customer has no records", async () => {
    const result = await client.call("starter_customer_facts", { customer_id: "C-999999" });
    expect(result.isError).toBe(true);
    expect(result._meta?.[ERROR_CODE_META]).toBe("not_found");
  });

  it("refuses a record in the wrong currency and writes nothing", async () => {
    const before = await store.first<{ n: number }>("SELECT COUNT(*) AS n FROM starter_records");
    const customer = await store.first<{ customer_id: string; currency: string }>(
      "SELECT customer_id, currency FROM starter_records ORDER BY id LIMIT 1",
    );
    const wrong = customer?.currency === "USD" ? "EUR" : "USD";
    const result = await client.call("create_starter_record", {
      customer_id: customer?.customer_id,
      amount_minor: 500,
      currency: wrong,
    });
    expect(result.isError).toBe(true);
    expect(result._meta?.[ERROR_CODE_META]).toBe("currency_mismatch");
    expect(await store.first("SELECT COUNT(*) AS n FROM starter_records")).toEqual(before);
  });

  it("opens one record however often a keyed call is retried", async () => {
    const customer = await store.first<{ customer_id: string; currency: string }>(
      "SELECT customer_id, currency FROM starter_records ORDER BY id LIMIT 1",
    );
    const args = { customer_id: customer?.customer_id, amount_minor: 700, currency: customer?.currency };
    const meta = { [IDEMPOTENCY_KEY_META]: "starter-test-1" };
    const answers = await Promise.all([1, 2, 3].map(() => client.call("create_starter_record", args, meta)));
    const ids = new Set(answers.map((a) => (a.structuredContent as { record_id: string }).record_id));
    expect(ids.size).toBe(1);
    const rows = await store.all("SELECT id FROM starter_records WHERE id = ?", [[...ids][0] ?? ""]);
    expect(rows).toHaveLength(1);
  });
});
