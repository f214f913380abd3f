import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { PackKitError } from "../errors.js";
import { openSqliteStore } from "../node/sqlite-store.js";
import { definePack } from "../pack/define-pack.js";
import { preparePackStore } from "../store/migrate.js";
import type { Store } from "../store/types.js";
import { connectPackClient, type PackClient } from "../testing/connect.js";
import { ledgerPack } from "../testing/fixtures/ledger-pack.js";
import { defineTool } from "../tool/define-tool.js";

let store: Store;
let pack: PackClient;
const errors: unknown[] = [];

beforeEach(async () => {
  store = openSqliteStore();
  await preparePackStore(store, ledgerPack, { scale: 200, seed: 7 });
  errors.length = 0;
  pack = await connectPackClient(ledgerPack, { store, onError: (e) => errors.push(e) });
});
afterEach(async () => {
  await pack.close();
  await store.close();
});

const text = (result: { content?: unknown }) => (result.content as Array<{ text: string }>)[0]!.text;
const count = async () => (await store.first<{ n: number }>("SELECT COUNT(*) AS n FROM entries"))!.n;

describe("tools/list", () => {
  it("lists every tool with title, both schemas, all four annotations and the contract _meta", async () => {
    const { tools } = await pack.client.listTools();
    expect(tools.map((t) => t.name)).toEqual([
      "spend_by_category",
      "get_entry",
      "record_entry",
      "recategorise_entry",
    ]);
    const write = tools.find((t) => t.name === "record_entry")!;
    expect(write.title).toBe("Record entry");
    expect(write.inputSchema.properties).toHaveProperty("amount_cents");
    expect(write.outputSchema?.properties).toHaveProperty("dry_run");
    expect(write.annotations).toMatchObject({
      readOnlyHint: false,
      destructiveHint: false,
      idempotentHint: false,
      openWorldHint: false,
    });
    expect(write._meta).toEqual({
      "toolpacks.dev/scope": "ledger:write",
      "toolpacks.dev/moves": { sum: [{ product: ["amount_cents"] }] },
      "toolpacks.dev/budgetTokens": 200,
      "toolpacks.dev/kind": "write",
    });
    const read = tools.find((t) => t.name === "spend_by_category")!;
    expect(read._meta).not.toHaveProperty("toolpacks.dev/moves");
    expect(read.annotations).toMatchObject({
      readOnlyHint: true,
      destructiveHint: false,
      idempotentHint: true,
    });
  });
});

describe("answers", () => {
  it("carry structured content and a compact text rendering of it", async () => {
    const result = await pack.call("spend_by_category", { year: 2025, limit: 3 });
    expect(result.isError).toBeFalsy();
    const structured = result.structuredContent as { as_of: string; top: unknown[]; next_cursor: string };
    expect(structured.as_of).toBe("2025-12-31");
    expect(structured.top).toHaveLength(3);
    expect(JSON.parse(text(result))).toEqual(structured);
  });

  it("page through every entry with the cursor, without repeats", async () => {
    const seen = new Set<string>();
    let cursor: string | null | undefined;
    do {
      const result = await pack.call("spend_by_category", {
        year: 2024,
        limit: 40,
        ...(cursor ? { cursor } : {}),
      });
      const page = result.structuredContent as { top: Array<{ id: string }>; next_cursor: string | null };
      for (const item of page.top) seen.add(item.id);
      cursor = page.next_cursor;
    } while (cursor);
    const expected = (await store.first<{ n: number }>(
      "SELECT COUNT(*) AS n FROM entries WHERE booked_on LIKE '2024%'",
    ))!.n;
    expect(seen.size).toBe(expected);
  });

  it("refuse a cursor from a call with other arguments", async () => {
    const first = await pack.call("spend_by_category", { year: 2024, limit: 1 });
    const cursor = (first.structuredContent as { next_cursor: string }).next_cursor;
    const result = await pack.call("spend_by_category", { year: 2025, limit: 1, cursor });
    expect(result.isError).toBe(true);
    expect(text(result)).toMatch(/different arguments.*Fix:/);
  });
});

describe("errors", () => {
  it("name the offending field and its allowed values", async () => {
    const result = await pack.call("spend_by_category", { year: 2025, category: "food" });
    expect(result.isError).toBe(true);
    expect(text(result)).toContain('"category"');
    expect(text(result)).toContain('"travel", "software", "hardware", "office"');
    expect(result._meta?.["toolpacks.dev/errorCode"]).toBe("invalid_arguments");
  });

  it("give the allowed range for an out-of-range number", async () => {
    const result = await pack.call("spend_by_category", { year: 1e308 });
    expect(text(result)).toMatch(/"year".*from 2000 to 2100/);
  });

  it("say which field is missing and list unknown fields with the allowed ones", async () => {
    expect(text(await pack.call("spend_by_category", {}))).toMatch(/"year" is required/);
    const unknown = text(await pack.call("spend_by_category", { year: 2025, yr: 1 }));
    expect(unknown).toMatch(/unknown field "yr"; allowed fields: year, category, limit, cursor/);
  });

  it("pass a handler's ToolError message and code through", async () => {
    const result = await pack.call("get_entry", { id: "E-99999" });
    expect(result.isError).toBe(true);
    expect(text(result)).toBe(
      "No ledger entry has id E-99999. Fix: take an id from spend_by_category's top list.",
    );
    expect(result._meta?.["toolpacks.dev/errorCode"]).toBe("not_found");
  });

  it("hide SQL and stack traces of unexpected failures behind a reference", async () => {
    await store.run("DROP TABLE entries");
    const result = await pack.call("get_entry", { id: "E-1" });
    expect(result.isError).toBe(true);
    expect(text(result)).toMatch(/failed inside the pack \(reference [0-9a-f]{8}\)/);
    expect(text(result)).not.toMatch(/SELECT|entries|sqlite|at /i);
    expect(errors).toHaveLength(1);
  });

  it("say the database is unreachable, without its address, when the store cannot reach it", async () => {
    await pack.close();
    const down: Store = {
      ...store,
      all: async () => {
        throw new PackKitError(
          "store_unreachable",
          "Cannot reach the Postgres server at postgres://db.internal:5432/x (ECONNREFUSED).",
        );
      },
      first: async () => {
        throw new PackKitError(
          "store_unreachable",
          "Cannot reach the Postgres server at postgres://db.internal:5432/x (ECONNREFUSED).",
        );
      },
    };
    pack = await connectPackClient(ledgerPack, { store: down, onError: (e) => errors.push(e) });
    const result = await pack.call("get_entry", { id: "E-1" });
    expect(result.isError).toBe(true);
    expect(result._meta?.["toolpacks.dev/errorCode"]).toBe("store_unreachable");
    expect(text(result)).toMatch(/could not reach the pack's database \(reference [0-9a-f]{8}\).*retry/);
    expect(text(result)).not.toMatch(/db\.internal|ECONNREFUSED|postgres:/);
    expect(errors).toHaveLength(1);
  });

  it("answer an unknown tool with a protocol error naming the pack's tools", async () => {
    await expect(pack.call("nope", {})).rejects.toThrow(/Unknown tool "nope".*spend_by_category/);
  });
});

describe("writes", () => {
  const args = { category: "office", amount_cents: 1299, booked_on: "2025-03-02", memo: "paper" };
  const key = { "toolpacks.dev/idempotencyKey": "k-1" };

  it("write once per idempotency key and replay the first answer", async () => {
    const before = await count();
    const first = await pack.call("record_entry", args, key);
    const second = await pack.call("record_entry", args, key);
    expect(first.isError).toBeFalsy();
    expect(second.structuredContent).toEqual(first.structuredContent);
    expect(second._meta?.["toolpacks.dev/replayed"]).toBe(true);
    expect(await count()).toBe(before + 1);
  });

  it("refuse the same key with different arguments and write nothing", async () => {
    await pack.call("record_entry", args, key);
    const before = await count();
    const result = await pack.call("record_entry", { ...args, memo: "ink" }, key);
    expect(result.isError).toBe(true);
    expect(text(result)).toMatch(/already used for a different write/);
    expect(await count()).toBe(before);
  });

  it("write once when duplicates with the same key arrive concurrently", async () => {
    const before = await count();
    const results = await Promise.all(Array.from({ length: 5 }, () => pack.call("record_entry", args, key)));
    expect(results.every((r) => !r.isError)).toBe(true);
    expect(new Set(results.map((r) => JSON.stringify(r.structuredContent))).size).toBe(1);
    expect(await count()).toBe(before + 1);
  });

  it("report what a dry run would change and change nothing", async () => {
    const before = await store.all("SELECT * FROM entries ORDER BY id");
    const result = await pack.call(
      "recategorise_entry",
      { id: "E-2", category: "travel" },
      { "toolpacks.dev/dryRun": true },
    );
    expect(result.structuredContent).toMatchObject({ id: "E-2", to: "travel", dry_run: true });
    expect((result.structuredContent as { changes: string[] }).changes[0]).toMatch(
      /entry E-2: category \w+ -> travel/,
    );
    expect(await store.all("SELECT * FROM entries ORDER BY id")).toEqual(before);
  });

  it("report what the handler says a write moves in the result _meta, dry run or not", async () => {
    const dry = await pack.call("record_entry", args, { "toolpacks.dev/dryRun": true });
    expect(dry._meta?.["toolpacks.dev/moved"]).toBe(1299);
    const real = await pack.call(
      "record_entry",
      { ...args, amount_cents: 700 },
      { "toolpacks.dev/idempotencyKey": "k-moved" },
    );
    expect(real._meta?.["toolpacks.dev/moved"]).toBe(700);
    const none = await pack.call("recategorise_entry", { id: "E-2", category: "travel" });
    expect(none._meta).not.toHaveProperty("toolpacks.dev/moved");
  });

  it("roll back and explain when the store rejects the write", async () => {
    await store.run(
      "CREATE TRIGGER no_office BEFORE INSERT ON entries WHEN NEW.category = 'office' BEGIN SELECT RAISE(ABORT, 'x'); END",
    );
    const before = await count();
    const result = await pack.call("record_entry", args, key);
    expect(result.isError).toBe(true);
    expect(text(result)).toMatch(/rejected the write.*nothing was written/);
    expect(await store.first("SELECT * FROM _idempotency")).toBeUndefined();
    expect(await count()).toBe(before);
  });
});

describe("context", () => {
  it("passes the request's principal and the world's as-of date to the handler", async () => {
    const whoami = defineTool({
      name: "whoami",
      title: "Who am I",
      description: "Returns the principal the call runs for and the as-of date.",
      input: z.object({}),
      output: z.object({ principal: z.string().nullable(), as_of: z.string() }),
      scope: "ledger:read",
      budgetTokens: 50,
      handler: async (_input, context) => ({ principal: context.principal ?? null, as_of: context.asOf }),
    });
    const small = definePack({ ...ledgerPack, name: "who", tools: [whoami] });
    const client = await connectPackClient(small, { store });
    const result = await client.call("whoami", {}, { "toolpacks.dev/principal": "ana@example.com" });
    expect(result.structuredContent).toEqual({ principal: "ana@example.com", as_of: "2025-12-31" });
    expect((await client.call("whoami", {})).structuredContent).toMatchObject({ principal: null });
    await client.close();
  });
});

describe("the budget guard", () => {
  const bulky = defineTool({
    name: "bulky_list",
    title: "Bulky list",
    description: "Returns a total and far too many items for its budget.",
    input: z.object({}),
    output: z.object({ total: z.number(), items: z.array(z.object({ id: z.string() })) }),
    scope: "ledger:read",
    budgetTokens: 150,
    handler: async () => ({
      total: 300,
      items: Array.from({ length: 300 }, (_, i) => ({ id: `ITEM-${i}` })),
    }),
  });
  const bulkyPack = definePack({ ...ledgerPack, name: "bulky", tools: [bulky] });

  it("trims an oversized answer at run time, keeping it valid and saying so", async () => {
    const client = await connectPackClient(bulkyPack, { store });
    const result = await client.call("bulky_list", {});
    expect(result.isError).toBeFalsy();
    const structured = result.structuredContent as { total: number; items: unknown[] };
    expect(structured.total).toBe(300);
    expect(structured.items.length).toBeGreaterThan(0);
    expect(structured.items.length).toBeLessThan(300);
    expect(result._meta?.["toolpacks.dev/trimmed"]).toEqual([
      { path: "items", kept: structured.items.length, dropped: 300 - structured.items.length },
    ]);
    expect(result._meta?.["toolpacks.dev/tokens"]).toBeLessThanOrEqual(150);
    expect(text(result)).toMatch(/\[trimmed to fit the 150-token answer budget/);
    await client.close();
  });

  it("refuses it in conformance mode", async () => {
    const client = await connectPackClient(bulkyPack, { store, budget: "error" });
    const result = await client.call("bulky_list", {});
    expect(result.isError).toBe(true);
    expect(text(result)).toMatch(/over its 150-token budget/);
    expect(result._meta?.["toolpacks.dev/errorCode"]).toBe("budget_exceeded");
    await client.close();
  });
});
