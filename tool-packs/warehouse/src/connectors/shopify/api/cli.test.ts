import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openSqliteStore, runPackCli } from "@toolpacks/pack-kit/node";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { pack } from "../../../pack.js";
import { type FakeShopify, startFakeShopify } from "../../../testing/fake-shopify.js";

let fake: FakeShopify;
let dir: string;

beforeEach(async () => {
  fake = await startFakeShopify();
  fake.pollsToComplete = 1;
  dir = mkdtempSync(join(tmpdir(), "warehouse-sync-"));
});
afterEach(async () => {
  await fake.close();
  rmSync(dir, { recursive: true, force: true });
});

async function cli(argv: string[], env: Record<string, string | undefined>) {
  let out = "";
  let err = "";
  let code: number | undefined;
  await runPackCli(pack, {
    argv,
    env,
    stdout: (t) => {
      out += t;
    },
    stderr: (t) => {
      err += t;
    },
    exit: (c) => {
      code = c;
    },
  });
  return { out, err, code };
}

describe("toolpacks-warehouse sync shopify", () => {
  it("syncs into --db from --base-url with the token and shop from the environment, and remembers the address", async () => {
    fake.addLocation("Main");
    fake.addVariant({ sku: "A-1", stock: { Main: 3 } });
    const db = join(dir, "warehouse.sqlite");
    const env = { SHOPIFY_ACCESS_TOKEN: fake.token, SHOPIFY_STORE_DOMAIN: fake.shop };
    const run = await cli(["sync", "shopify", "--db", db, "--base-url", fake.url], env);
    expect(run.err).toBe("");
    expect(run.code).toBe(0);
    expect(run.out).toMatch(/^synced shopify into warehouse at .*: 3 inserted/);
    const store = openSqliteStore(db);
    expect(await store.first("SELECT sku, location_id, on_hand FROM wh_stock")).toEqual({
      sku: "A-1",
      location_id: "Main",
      on_hand: 3,
    });
    expect(
      await store.first("SELECT value FROM _meta WHERE key = 'sync.warehouse.shopify.base_url'"),
    ).toEqual({
      value: fake.url,
    });
    await store.close();
  });

  it("without SHOPIFY_ACCESS_TOKEN exits 1 naming the variable and sends nothing", async () => {
    const db = join(dir, "warehouse.sqlite");
    const missing = await cli(["sync", "shopify", "--db", db, "--base-url", fake.url], {
      SHOPIFY_STORE_DOMAIN: fake.shop,
    });
    expect(missing.code).toBe(1);
    expect(missing.err).toContain("SHOPIFY_ACCESS_TOKEN is not set");
    expect(fake.requests).toEqual([]);
  });
});
