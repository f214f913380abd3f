import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openSqliteStore } from "../node/sqlite-store.js";
import {
  openPostgresTestStore,
  type PostgresTestStore,
  postgresTestServer,
} from "../testing/postgres-test-store.js";
import { sqlFor } from "./dialect.js";
import type { Store } from "./types.js";

const server = postgresTestServer();

// Each fragment must give the same answer on both dialects: packs write a query once and take
// only these from sqlFor.
function describeFragments(name: string, open: () => Promise<Store>, skip = false) {
  describe.skipIf(skip)(`sqlFor fragments on ${name}`, () => {
    let store: Store;
    beforeAll(async () => {
      store = await open();
    });
    afterAll(async () => {
      await store?.close();
    });

    it("daysBetween counts whole calendar days across months, leap days and years, signed", async () => {
      const sql = sqlFor(store.dialect);
      const days = async (later: string, earlier: string) =>
        (await store.first<{ d: number }>(`SELECT ${sql.daysBetween("?", "?")} AS d`, [later, earlier]))?.d;
      expect(await days("2026-03-01", "2026-02-27")).toBe(2);
      expect(await days("2024-03-01", "2024-02-28")).toBe(2);
      expect(await days("2027-01-01", "2026-12-31")).toBe(1);
      expect(await days("2026-11-30", "2026-11-30")).toBe(0);
      expect(await days("2026-01-01", "2026-02-01")).toBe(-31);
      expect(await days("2026-11-30", "2025-11-30")).toBe(365);
    });

    it("greatest and least take the larger and smaller of their expressions", async () => {
      const sql = sqlFor(store.dialect);
      expect(
        await store.first(`SELECT ${sql.greatest("0", "-5")} AS g, ${sql.least("3", "7", "4")} AS l`),
      ).toEqual({ g: 0, l: 3 });
    });
  });
}

describeFragments("SQLite", async () => openSqliteStore(":memory:"));
describeFragments(
  `Postgres ${server.skipped ?? ""}`,
  async (): Promise<PostgresTestStore> => openPostgresTestStore(),
  !server.url,
);
