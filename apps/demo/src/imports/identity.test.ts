import { readFileSync } from "node:fs";
import { pack as billing } from "@toolpacks/billing";
import { pack as erp } from "@toolpacks/erp";
import {
  buildIdentityMap,
  lookupIdentity,
  resolveConnector,
  runImport,
  type SourceFile,
} from "@toolpacks/pack-kit";
import { openSqliteStore } from "@toolpacks/pack-kit/node";
import { fixtureCompanies } from "@toolpacks/pack-kit/testing";
import { describe, expect, it } from "vitest";

const root = new URL("../../../../", import.meta.url);
function files(dir: string, names: string[]): SourceFile[] {
  return names.map((name) => ({ name, text: readFileSync(new URL(`${dir}/${name}`, root), "utf8") }));
}

// One customer across systems: the Stripe and Odoo fixtures describe the same cast of companies
// (180 Stripe customers, the first 150 of them Odoo customers), each under its system's own ids.
describe("one customer across billing (Stripe) and ERP (Odoo) imports", () => {
  it("ties every Odoo customer to its Stripe customer by email and tax id, and reports the rest unmatched", async () => {
    const store = openSqliteStore(":memory:");
    try {
      const asOf = "2026-11-30";
      await runImport(
        store,
        billing,
        resolveConnector(billing, "stripe", undefined),
        files("tool-packs/billing/src/connectors/stripe/fixtures", ["unified_customers.csv"]),
        undefined,
        { asOf },
      );
      await runImport(
        store,
        erp,
        resolveConnector(erp, "odoo", undefined),
        files("tool-packs/erp/src/connectors/odoo/fixtures", ["Contact (res.partner) - customers.csv"]),
        undefined,
        { asOf },
      );
      const match = await buildIdentityMap(store, [erp, billing], {
        entity: "customer",
        keys: ["email", "tax_id"],
      });
      expect(match.rates).toEqual([
        { system: "erp", records: 150, matched: 150, rate: 1 },
        { system: "billing", records: 180, matched: 150, rate: 150 / 180 },
      ]);
      expect(match.unmatched).toHaveLength(30);
      // The same business under each system's id: Odoo keys partners by name, Stripe by cus_ ids.
      const company = fixtureCompanies(180)[42];
      if (company === undefined) throw new Error("the fixture set has fewer than 43 companies");
      const stripeId = await store.first<{ id: string }>("SELECT id FROM billing_accounts WHERE email = ?", [
        company.email,
      ]);
      expect(stripeId).toBeDefined();
      expect(await lookupIdentity(store, "customer", { system: "erp", id: company.name }, "billing")).toEqual(
        [stripeId?.id],
      );
    } finally {
      await store.close();
    }
  });
});
