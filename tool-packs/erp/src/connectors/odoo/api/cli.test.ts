import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openSqliteStore, runPackCli } from "@toolpacks/pack-kit/node";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { pack } from "../../../pack.js";
import { type FakeOdoo, startFakeOdoo } from "../../../testing/fake-odoo.js";

let fake: FakeOdoo;
let dir: string;

beforeEach(async () => {
  fake = await startFakeOdoo();
  dir = mkdtempSync(join(tmpdir(), "erp-sync-"));
  const vendor = fake.addPartner({ name: "Steelcase", vendor: true });
  const customer = fake.addPartner({ name: "Acme", customer: true });
  const desk = fake.addProduct({ code: "DESK-1", name: "Desk", cost: 100, price: 250, vendor });
  fake.addSaleOrder({ partner: customer, origin: "D-1", lines: [{ product: desk, qty: 2, price: 250 }] });
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

describe("toolpacks-erp sync odoo", () => {
  it("syncs into --db from ODOO_URL with ODOO_DATABASE and the key from ODOO_API_KEY", async () => {
    const db = join(dir, "erp.sqlite");
    const run = await cli(["sync", "odoo", "--db", db], {
      ODOO_URL: fake.url,
      ODOO_DATABASE: fake.database,
      ODOO_API_KEY: fake.key,
    });
    expect(run.err).toBe("");
    expect(run.code).toBe(0);
    expect(run.out).toMatch(/^synced odoo into erp at .*: \d+ inserted/);
    const store = openSqliteStore(db);
    expect(await store.first("SELECT deal_id, total_minor, source_system FROM erp_sales_orders")).toEqual({
      deal_id: "D-1",
      total_minor: 50_000,
      source_system: "odoo",
    });
    await store.close();
  });

  it("--base-url overrides ODOO_URL; a wrong database or a missing key fails naming what to fix", async () => {
    const db = join(dir, "erp.sqlite");
    const wrongDb = await cli(["sync", "odoo", "--db", db, "--base-url", fake.url], {
      ODOO_URL: "http://127.0.0.1:9",
      ODOO_DATABASE: "other",
      ODOO_API_KEY: fake.key,
    });
    expect(wrongDb.code).toBe(1);
    expect(wrongDb.err).toContain("database other does not exist");
    const missing = await cli(["sync", "odoo", "--db", db, "--base-url", fake.url], {});
    expect(missing.code).toBe(1);
    expect(missing.err).toContain("ODOO_API_KEY is not set");
    const help = await cli(["sync", "--help"], {});
    expect(help.out).toContain("ODOO_API_KEY, ODOO_DATABASE, ODOO_URL");
  });
});
