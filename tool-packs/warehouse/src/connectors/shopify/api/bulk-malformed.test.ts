import { readCursors, runSync, type Store, SyncError, syncStatusTool } from "@toolpacks/pack-kit";
import { openSqliteStore } from "@toolpacks/pack-kit/node";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pack } from "../../../pack.js";
import { type FakeShopify, startFakeShopify } from "../../../testing/fake-shopify.js";
import { createShopifyGraphql } from "./client.js";
import { shopifySource } from "./source.js";

/*
 * A damaged bulk export file: every kind of bad line fails the sync with `source_malformed`
 * naming the line, the page holding it is not committed (the cursor stays at the last whole
 * page), and a re-run that downloads the file whole resumes there and ends as a clean sync does.
 */

const PAGE = 4;
let fake: FakeShopify;
/** The whole, good file as the fake serves it, split into lines (no trailing empty one). */
let good: string[];

beforeAll(async () => {
  fake = await startFakeShopify();
  fake.pollsToComplete = 1;
  fake.addLocation("Berlin DC", { city: "Berlin", country: "DE" });
  fake.addLocation("Austin", { city: "Austin", country: "US" });
  for (let i = 0; i < 7; i++) {
    fake.addVariant({
      sku: i === 3 ? null : `SKU-${i}`,
      product: `Widget ${i}`,
      cost: `${i + 1}.50`,
      stock: i % 2 === 0 ? { "Berlin DC": 10 + i, Austin: i } : { Austin: 5 },
    });
  }
  const store = openSqliteStore();
  fake.damageBulkDownloads((text) => {
    good = text.split("\n").filter((l) => l !== "");
    return text;
  });
  await runSync(store, pack, source());
  await store.close();
});
afterAll(async () => {
  await fake.close();
});

function source() {
  const shopify = createShopifyGraphql({
    storeDomain: fake.shop,
    accessToken: fake.token,
    baseUrl: fake.url,
    retry: { sleep: async () => undefined },
  });
  return shopifySource(shopify, { pageSize: PAGE, pollMs: 1, sleep: async () => undefined, overlapMs: 0 });
}

type Json = Record<string, unknown>;
const parsed = () => good.map((l) => JSON.parse(l) as Json);
const isLevel = (o: Json) => "__parentId" in o;
/** 1-based numbers of the good file's variant lines and level lines. */
const lineNumbers = (level: boolean) => parsed().flatMap((o, i) => (isLevel(o) === level ? [i + 1] : []));

/** What the store must hold after the first `lines` lines were committed (and nothing after). */
function expectedFrom(lines: number) {
  const records = parsed().slice(0, lines);
  const skuOf = new Map(
    parsed()
      .filter((o) => !isLevel(o))
      .map((o) => [o["id"], o["sku"]]),
  );
  return {
    items: records
      .filter((o) => !isLevel(o) && o["sku"])
      .map((o) => String(o["sku"]))
      .sort(),
    stock: records
      .filter((o) => isLevel(o) && skuOf.get(o["__parentId"]))
      .map((o) => `${String(skuOf.get(o["__parentId"]))}@${(o["location"] as Json)["name"]}`)
      .sort(),
  };
}

async function held(store: Store) {
  return {
    items: (await store.all<{ sku: string }>("SELECT sku FROM wh_items ORDER BY sku")).map((r) => r.sku),
    stock: (
      await store.all<{ k: string }>("SELECT sku || '@' || location_id AS k FROM wh_stock ORDER BY k")
    ).map((r) => r.k),
  };
}

/** The last line a failure at `line` leaves committed: the end of the last whole page before it. */
const committedBefore = (line: number) => Math.floor((line - 1) / PAGE) * PAGE;

/** Serves the good file with line `line` (1-based) replaced by `text` (or the file from `whole`). */
const withLine = (line: number, text: string) => () =>
  `${good.map((l, i) => (i + 1 === line ? text : l)).join("\n")}\n`;

/**
 * Syncs into a new store with the next download damaged by `damage`: checks the typed error, the
 * cursor and the rows left, then re-runs with a whole download and checks it ends as a clean sync.
 */
async function failsAt(damage: () => string, line: number, why: RegExp) {
  const store = openSqliteStore();
  try {
    fake.damageBulkDownloads(damage);
    const error = await runSync(store, pack, source()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SyncError);
    expect(error).toMatchObject({ code: "source_malformed", location: { line } });
    const message = (error as Error).message;
    expect(message).toContain(`Line ${line} of Shopify's bulk export file`);
    expect(message).toMatch(why);
    const committed = committedBefore(line);
    expect(message).toContain(`stays after line ${committed}`);
    const cursor = (await readCursors(store, "warehouse", "shopify")).get("bulk") ?? "";
    expect(JSON.parse(cursor)).toMatchObject({ line: committed });
    expect(await held(store)).toEqual(expectedFrom(committed));
    // The next download is whole: the run resumes after the committed lines and completes.
    const report = await runSync(store, pack, source());
    expect(report.rejected).toBe(0);
    expect(await held(store)).toEqual(expectedFrom(good.length));
    expect((await readCursors(store, "warehouse", "shopify")).get("bulk")).toBe("done");
  } finally {
    await store.close();
  }
}

describe("Shopify bulk export: a malformed line is a typed error and commits nothing of its page", () => {
  it("a line that is not JSON", async () => {
    await failsAt(withLine(7, '{"id": "gid://shopify/ProductVariant/1", sku: oops'), 7, /is not JSON/);
  });

  it("a line of JSON that is no object (a list, null, a number, a string)", async () => {
    for (const [text, kind] of [
      ["[1,2]", "a list"],
      ["null", "null"],
      ["42", "a number"],
      ['"x"', "a string"],
    ] as const) {
      await failsAt(withLine(6, text), 6, new RegExp(`is ${kind}, not a variant or inventory level`));
    }
  });

  it("a variant line without a field the sync reads, or with one of the wrong type", async () => {
    const line = lineNumbers(false).find((n) => n > PAGE) as number;
    const variant = parsed()[line - 1] as Json;
    const noTitle = { ...variant, product: { productType: "x" } };
    await failsAt(withLine(line, JSON.stringify(noTitle)), line, /variant that has no field "product.title"/);
    const badCost = {
      ...variant,
      inventoryItem: { id: "gid://shopify/InventoryItem/1", unitCost: { amount: 3 } },
    };
    await failsAt(withLine(line, JSON.stringify(badCost)), line, /"inventoryItem.unitCost.amount"/);
  });

  it("an inventory level line whose quantity is not an integer", async () => {
    const line = lineNumbers(true).find((n) => n > PAGE) as number;
    const level = parsed()[line - 1] as Json;
    const bad = { ...level, quantities: [{ name: "on_hand", quantity: "5" }] };
    await failsAt(withLine(line, JSON.stringify(bad)), line, /quantities\[0\] is not/);
  });

  it("a child line whose __parentId names no variant on an earlier line", async () => {
    const line = lineNumbers(true).find((n) => n > PAGE) as number;
    const orphan = { ...(parsed()[line - 1] as Json), __parentId: "gid://shopify/ProductVariant/999999" };
    await failsAt(
      withLine(line, JSON.stringify(orphan)),
      line,
      /__parentId "gid:\/\/shopify\/ProductVariant\/999999" names no variant/,
    );
  });

  it("a level whose __parentId is its variant's inventory item (its nearest parent object) is read, not refused", async () => {
    const store = openSqliteStore();
    const itemOf = new Map(
      parsed()
        .filter((o) => !isLevel(o))
        .map((o) => [o["id"], (o["inventoryItem"] as Json)["id"]]),
    );
    fake.damageBulkDownloads(
      () =>
        `${parsed()
          .map((o) => JSON.stringify(isLevel(o) ? { ...o, __parentId: itemOf.get(o["__parentId"]) } : o))
          .join("\n")}\n`,
    );
    expect(await runSync(store, pack, source())).toMatchObject({ rejected: 0 });
    expect(await held(store)).toEqual(expectedFrom(good.length));
    await store.close();
  });

  it("a file cut short in its final line", async () => {
    const last = good.length;
    const cut = () => `${good.slice(0, -1).join("\n")}\n${(good.at(-1) as string).slice(0, 30)}`;
    await failsAt(cut, last, /is cut short: the file ends mid-record/);
  });

  it("a damaged export that stays damaged fails the same way again, and sync_status shows the code", async () => {
    const store = openSqliteStore();
    fake.damageBulkDownloads(withLine(9, "{"), 2);
    for (let run = 0; run < 2; run++) {
      await expect(runSync(store, pack, source())).rejects.toMatchObject({
        code: "source_malformed",
        location: { line: 9 },
      });
    }
    const status = await syncStatusTool("warehouse").handler(
      {},
      { store, asOf: "2026-12-02", principal: undefined, signal: new AbortController().signal },
    );
    expect(status.systems[0]?.last_error?.code).toBe("source_malformed");
    expect(await held(store)).toEqual(expectedFrom(8));
    await store.close();
  });

  it("a download that breaks off mid-file is source_unavailable; the next run resumes after the committed lines", async () => {
    const store = openSqliteStore();
    // Cut inside line 10: lines 1-8 (two whole pages) are committed, line 9 was read but its page was not.
    const bytes = good.slice(0, 9).join("\n").length + 5;
    fake.breakNextBulkDownload(bytes);
    const error = await runSync(store, pack, source()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SyncError);
    expect(error).toMatchObject({ code: "source_unavailable" });
    expect((error as Error).message).toContain("broke off after line 9");
    const cursor = (await readCursors(store, "warehouse", "shopify")).get("bulk") ?? "";
    expect(JSON.parse(cursor)).toMatchObject({ line: 8 });
    expect(await held(store)).toEqual(expectedFrom(8));
    await runSync(store, pack, source());
    expect(await held(store)).toEqual(expectedFrom(good.length));
    await store.close();
  });

  it("property: any line corrupted in any way fails at that line and keeps exactly the whole pages before it", async () => {
    const corruption = fc.oneof(
      // Cut short inside the line (as a download that broke off mid-record).
      fc.record({ kind: fc.constant("cut" as const), at: fc.double({ min: 0, max: 0.999, noNaN: true }) }),
      // Any JSON that is not an object.
      fc.record({
        kind: fc.constant("json" as const),
        value: fc.jsonValue().filter((v) => typeof v !== "object" || v === null || Array.isArray(v)),
      }),
      // A field the sync reads, removed.
      fc.record({ kind: fc.constant("drop" as const), pick: fc.nat() }),
      // A parent id no earlier line has.
      fc.record({ kind: fc.constant("orphan" as const), id: fc.string({ minLength: 1 }) }),
    );
    await fc.assert(
      fc.asyncProperty(fc.nat(), corruption, async (pick, c) => {
        const levels = lineNumbers(true);
        const line =
          c.kind === "orphan" ? (levels[pick % levels.length] as number) : (pick % good.length) + 1;
        const record = parsed()[line - 1] as Json;
        const fields = isLevel(record)
          ? ["id", "__parentId", "location", "quantities"]
          : ["id", "sku", "product", "selectedOptions", "inventoryItem"];
        let text: string;
        if (c.kind === "cut") {
          const original = good[line - 1] as string;
          text = original.slice(0, Math.floor(c.at * (original.length - 1)));
          if (text.trim() === "") text = "{";
        } else if (c.kind === "json") {
          text = JSON.stringify(c.value);
        } else if (c.kind === "drop") {
          const { [fields[c.pick % fields.length] as string]: _, ...rest } = record;
          text = JSON.stringify(rest);
        } else {
          const known = parsed().some(
            (o) => o["id"] === c.id || (o["inventoryItem"] as Json | undefined)?.["id"] === c.id,
          );
          fc.pre(!known);
          text = JSON.stringify({ ...record, __parentId: c.id });
        }
        await failsAt(withLine(line, text), line, /./);
      }),
      { numRuns: 30 },
    );
  });
});
