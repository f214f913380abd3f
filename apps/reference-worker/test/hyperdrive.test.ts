import { describe, expect, inject, it } from "vitest";
import type { HyperdriveSeen } from "../browser/outcomes.js";

// The Worker under `wrangler dev --local` with the Hyperdrive binding of wrangler.jsonc pointed at
// a real local Postgres (driven from Node in the global setup, browser/hyperdrive-check.ts).
const seen = JSON.parse(inject("hyperdriveSeen")) as HyperdriveSeen;

describe.skipIf(seen.skipped !== undefined)(
  `the packs on Postgres through Hyperdrive${seen.skipped ? ` (skipped: ${seen.skipped})` : ""}`,
  () => {
    it("ran wrangler dev with the documented hyperdrive block and the local connection string variable", () => {
      expect(seen.error).toBeUndefined();
      expect(seen.usedEnvVar).toBe(true);
    });

    it("migrated and seeded every pack into Postgres, and answered a read from it", () => {
      expect(seen.migratedPacks).toEqual(["billing", "crm", "erp", "warehouse"]);
      expect(seen.read?.isError).toBe(false);
      expect(seen.read?.totals).toMatchObject({ deals: expect.any(Number) });
    });

    it("landed a write through /mcp/crm as a row in Postgres", () => {
      expect(seen.write?.isError).toBe(false);
      expect(seen.rowsWithSubject).toBe(1);
    });

    it("answers with a clear error, not a hang, once Postgres is unreachable", () => {
      expect(seen.unreachable?.thrown).toBeUndefined();
      expect(seen.unreachable?.isError).toBe(true);
      expect(seen.unreachable?.text).toMatch(/store_unreachable|database/i);
      // Refused connections fail at once; the connect timeout (10 s) bounds the rest.
      expect(seen.unreachable?.ms).toBeLessThan(30_000);
    });
  },
);
