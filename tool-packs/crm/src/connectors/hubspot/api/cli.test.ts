import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openSqliteStore, runPackCli } from "@toolpacks/pack-kit/node";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { pack } from "../../../pack.js";
import { type FakeHubSpot, startFakeHubSpot } from "../../../testing/fake-hubspot.js";

let fake: FakeHubSpot;
let dir: string;

beforeEach(async () => {
  fake = await startFakeHubSpot();
  dir = mkdtempSync(join(tmpdir(), "crm-sync-"));
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

describe("toolpacks-crm sync hubspot", () => {
  it("syncs into --db from --base-url with the token from HUBSPOT_ACCESS_TOKEN, and remembers the address", async () => {
    const owner = fake.addOwner("Ada", "Lovelace");
    const company = fake.add("companies", { name: "Acme", hubspot_owner_id: owner.id });
    fake.add(
      "deals",
      {
        dealname: "Acme renewal",
        dealstage: "contractsent",
        pipeline: "default",
        amount: "1234.56",
        closedate: "2026-12-20",
      },
      { companies: [{ id: company.id, label: "Primary" }] },
    );
    const db = join(dir, "crm.sqlite");
    const run = await cli(["sync", "hubspot", "--db", db, "--base-url", fake.url], {
      HUBSPOT_ACCESS_TOKEN: fake.token,
    });
    expect(run.err).toBe("");
    expect(run.code).toBe(0);
    expect(run.out).toMatch(/^synced hubspot into crm at .*: 4 inserted/);
    const store = openSqliteStore(db);
    expect(await store.first("SELECT name, stage, amount_minor, account_id FROM crm_deals")).toEqual({
      name: "Acme renewal",
      stage: "negotiation",
      amount_minor: 123_456,
      account_id: `hs:C-${company.id}`,
    });
    expect(await store.first("SELECT value FROM _meta WHERE key = 'sync.crm.hubspot.base_url'")).toEqual({
      value: fake.url,
    });
    await store.close();
  });

  it("without HUBSPOT_ACCESS_TOKEN exits 1 naming the variable, before any request", async () => {
    const db = join(dir, "crm.sqlite");
    const missing = await cli(["sync", "hubspot", "--db", db, "--base-url", fake.url], {});
    expect(missing.code).toBe(1);
    expect(missing.err).toContain("HUBSPOT_ACCESS_TOKEN is not set");
    expect(fake.requests).toEqual([]);
    const unknown = await cli(["sync", "salesforce", "--db", db], {});
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain("Systems: hubspot");
  });
});
