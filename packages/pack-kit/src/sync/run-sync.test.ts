import { afterEach, describe, expect, it } from "vitest";
import type { DomainRow } from "../connect/types.js";
import { getAsOf } from "../store/meta.js";
import { seedWorld } from "../store/migrate.js";
import { defineTables, text } from "../store/tables.js";
import type { Statement, Store } from "../store/types.js";
import { shopPack } from "../testing/fixtures/shop-pack.js";
import { openTestStore } from "../testing/test-store.js";
import { SyncError } from "./errors.js";
import { runSync } from "./run-sync.js";
import { readCursors, readSyncRuns } from "./state.js";
import { syncStatusTool } from "./status-tool.js";
import type { SyncPage, SyncSource } from "./types.js";

interface Remote {
  customers: Array<{ id: string; name: string }>;
  orders: Array<{ id: string; customer_id: string; amount_minor: number }>;
}

const remote = (customers: number, orders: number): Remote => ({
  customers: Array.from({ length: customers }, (_, i) => ({ id: `C${i}`, name: `Customer ${i}` })),
  orders: Array.from({ length: orders }, (_, i) => ({
    id: `O${String(i).padStart(3, "0")}`,
    customer_id: `C${i % customers}`,
    amount_minor: 100 + i,
  })),
});

/**
 * A source over `data` that pages `size` records at a time, each stream resuming after the
 * index its cursor names; `failAt` throws instead of yielding that (1-based) page of the run.
 */
function source(
  data: Remote,
  options: { size?: number; failAt?: number } = {},
): SyncSource & { served: number } {
  const size = options.size ?? 2;
  const self = {
    system: "api",
    streams: ["customers", "orders"],
    served: 0,
    async *pull({ cursors }: { cursors: ReadonlyMap<string, string> }): AsyncIterable<SyncPage> {
      let page = 0;
      for (const stream of ["customers", "orders"] as const) {
        const records = data[stream];
        let from = Number(cursors.get(stream) ?? 0);
        while (from < records.length) {
          page++;
          if (page === options.failAt)
            throw new SyncError("source_unavailable", "the API went away mid-sync");
          const slice = records.slice(from, from + size);
          from += slice.length;
          self.served += slice.length;
          const rows: DomainRow[] = slice.map((r) => ({
            table: `shop_${stream}`,
            sourceId: r.id,
            origin: { file: stream, line: 0 },
            values: stream === "orders" ? { ...r, currency: "USD", status: "paid" } : r,
          }));
          yield { stream, cursor: String(from), rows, rejected: [] };
        }
      }
    },
  };
  return self;
}

/** A store whose `batch` fails on the `n`th commit of order rows (a crash at commit). */
function failingCommit(store: Store, n: number): Store {
  let seen = 0;
  return Object.assign(Object.create(store) as Store, {
    batch: async (statements: readonly Statement[]) => {
      if (statements.some((s) => s.sql.startsWith("INSERT INTO shop_orders")) && ++seen === n)
        throw new Error("disk I/O error");
      return store.batch(statements);
    },
  });
}

// SQLite in memory, or a database of its own on the test Postgres server (pack-kit-postgres).
const opened: Store[] = [];
afterEach(async () => {
  for (const store of opened.splice(0)) await store.close();
});
async function freshStore(): Promise<Store> {
  const store = await openTestStore();
  opened.push(store);
  return store;
}

const ids = async (store: Store, table: string) =>
  (await store.all<{ id: string }>(`SELECT id FROM ${table} ORDER BY id`)).map((r) => r.id);

describe("runSync", () => {
  it("first load inserts everything with provenance, and a second run changes nothing", async () => {
    const store = await freshStore();
    const data = remote(3, 7);
    const now = () => new Date("2026-12-02T12:00:00Z");
    const first = await runSync(store, shopPack, source(data), { now });
    expect(first).toMatchObject({ inserted: 10, updated: 0, rejected: 0, pages: 6 });
    expect(await ids(store, "shop_orders")).toEqual(data.orders.map((o) => o.id));
    expect(await store.first("SELECT source_system, source_id FROM shop_orders WHERE id = 'O004'")).toEqual({
      source_system: "api",
      source_id: "O004",
    });
    expect(await getAsOf(store, "shop")).toBe("2026-12-02");
    // The cursors are at the end: nothing is pulled again.
    const again = source(data);
    expect(await runSync(store, shopPack, again, { now })).toMatchObject({ inserted: 0, pages: 0 });
    expect(again.served).toBe(0);
  });

  it("removes the rows a page says the source no longer holds, in the page's transaction", async () => {
    const store = await freshStore();
    const data = remote(2, 4);
    await runSync(store, shopPack, source(data));
    // A row another system filled is never removed by this one.
    await store.batch([
      {
        sql: "INSERT INTO shop_orders (id, customer_id, amount_minor, currency, status, amount_label, source_system, source_id) VALUES ('X1', 'C0', 5, 'USD', 'paid', '0.05 USD', 'other', 'X1')",
      },
    ]);
    const removing: SyncSource = {
      system: "api",
      streams: ["orders"],
      async *pull({ store: view }) {
        // The source can read what the store holds to find what it deleted.
        const held = await view?.all<{ id: string }>(
          "SELECT id FROM shop_orders WHERE source_system = 'api'",
        );
        expect(held?.length).toBe(4);
        yield {
          stream: "orders",
          cursor: "9",
          rows: [
            {
              table: "shop_orders",
              sourceId: "O001",
              origin: { file: "orders", line: 0 },
              values: { id: "O001", customer_id: "C1", amount_minor: 7, currency: "USD", status: "paid" },
            },
          ],
          rejected: [],
          removed: [
            { table: "shop_orders", key: "O000" },
            { table: "shop_orders", key: "O000" },
            // Also written by this page: kept and updated, not removed.
            { table: "shop_orders", key: "O001" },
            { table: "shop_orders", key: "X1" },
            { table: "shop_orders", key: "never-synced" },
          ],
        };
      },
    };
    const report = await runSync(store, shopPack, removing);
    expect(report).toMatchObject({ deleted: 1, updated: 1 });
    expect(await ids(store, "shop_orders")).toEqual(["O001", "O002", "O003", "X1"]);
    expect(await store.first("SELECT amount_minor FROM shop_orders WHERE id = 'O001'")).toEqual({
      amount_minor: 7,
    });
    const untracked: SyncSource = {
      system: "api",
      streams: ["orders"],
      async *pull() {
        yield {
          stream: "orders",
          cursor: "x",
          rows: [],
          rejected: [],
          removed: [{ table: "sqlite_master", key: "a" }],
        };
      },
    };
    await expect(runSync(store, shopPack, untracked)).rejects.toMatchObject({ code: "not_tracked" });
  });

  it("refuses a source that writes a column the pack keeps from other rows, and writes nothing", async () => {
    const store = await freshStore();
    const keeping = { ...shopPack, tables: defineTables({ shop_customers: { name: text().kept() } }) };
    await expect(runSync(store, keeping, source(remote(2, 0)))).rejects.toMatchObject({
      code: "kept_column",
      message: expect.stringMatching(/shop_customers\.name/),
    });
    expect(await ids(store, "shop_customers")).toEqual([]);
  });

  it("resumes after a source failure mid-sync without duplicates or gaps", async () => {
    const store = await freshStore();
    const data = remote(2, 9);
    await expect(runSync(store, shopPack, source(data, { failAt: 4 }))).rejects.toMatchObject({
      code: "source_unavailable",
    });
    // Pages 1-3 committed: 2 customers, 2 + 2 orders; the cursor is right after them.
    expect(await ids(store, "shop_orders")).toEqual(["O000", "O001", "O002", "O003"]);
    expect(await readCursors(store, "shop", "api")).toEqual(
      new Map([
        ["customers", "2"],
        ["orders", "4"],
      ]),
    );
    const resumed = source(data);
    const report = await runSync(store, shopPack, resumed);
    // Only what was not committed is pulled and inserted again.
    expect(resumed.served).toBe(5);
    expect(report).toMatchObject({ inserted: 5, updated: 0, unchanged: 0 });
    expect(await ids(store, "shop_orders")).toEqual(data.orders.map((o) => o.id));
  });

  it("a commit that fails keeps the cursor with the rows: the page is pulled again, never skipped", async () => {
    const base = await freshStore();
    const data = remote(2, 9);
    await expect(runSync(failingCommit(base, 2), shopPack, source(data))).rejects.toThrow("disk I/O error");
    expect(await ids(base, "shop_orders")).toEqual(["O000", "O001"]);
    expect((await readCursors(base, "shop", "api")).get("orders")).toBe("2");
    await runSync(base, shopPack, source(data));
    expect(await ids(base, "shop_orders")).toEqual(data.orders.map((o) => o.id));
  });

  it("records the last error for sync_status, and clears it on the next success", async () => {
    const store = await freshStore();
    const data = remote(2, 3);
    const status = syncStatusTool("shop");
    const context = { store, asOf: "2026-12-02", principal: undefined, signal: new AbortController().signal };
    await expect(runSync(store, shopPack, source(data, { failAt: 2 }))).rejects.toThrow();
    const failed = await status.handler({}, context);
    expect(failed.systems).toEqual([
      {
        system: "api",
        last_success_at: null,
        lag_seconds: null,
        last_error: {
          code: "source_unavailable",
          message: "the API went away mid-sync",
          at: expect.any(String),
        },
      },
    ]);
    await runSync(store, shopPack, source(data), { now: () => new Date(Date.now() - 600_000) });
    const ok = await status.handler({}, context);
    expect(ok.systems[0]?.last_error).toBeNull();
    expect(ok.systems[0]?.lag_seconds).toBeGreaterThanOrEqual(599);
    expect(ok.tables.map((t) => [t.table, t.system, t.rows])).toEqual([
      ["shop_customers", "api", 2],
      ["shop_orders", "api", 3],
    ]);
    expect((await readSyncRuns(store, "shop"))[0]?.succeededAt).not.toBeNull();
  });

  it("rejects a row whose parent is neither stored nor synced, and keeps the rest of its page", async () => {
    const store = await freshStore();
    const data = remote(1, 2);
    data.orders.push({ id: "O999", customer_id: "C-missing", amount_minor: 5 });
    const report = await runSync(store, shopPack, source(data, { size: 10 }));
    expect(report.rejected).toBe(1);
    expect(report.rejections[0]?.reason).toContain("C-missing");
    expect(await ids(store, "shop_orders")).toEqual(["O000", "O001"]);
  });

  it("refuses a store seeded with the generated world", async () => {
    const store = await freshStore();
    await seedWorld(store, shopPack, { scale: 3, seed: 1 });
    await expect(runSync(store, shopPack, source(remote(1, 1)))).rejects.toMatchObject({
      code: "store_holds_world",
    });
  });
});

describe("runSync's lease: one run of a source into a store at a time", () => {
  /** A source whose first page waits for `release()` before it is yielded. */
  function paused(data: Remote) {
    let release!: () => void;
    let reached!: () => void;
    const gate = new Promise<void>((r) => {
      release = r;
    });
    const atFirstPage = new Promise<void>((r) => {
      reached = r;
    });
    const inner = source(data);
    const wrapped: SyncSource = {
      ...inner,
      async *pull(request) {
        let first = true;
        for await (const page of inner.pull(request)) {
          if (first) {
            first = false;
            reached();
            await gate;
          }
          yield page;
        }
      },
    };
    return { source: wrapped, release, atFirstPage };
  }

  it("refuses a second run while one runs, changing and recording nothing; the next run after it goes ahead", async () => {
    const store = await freshStore();
    const data = remote(3, 7);
    const slow = paused(data);
    const first = runSync(store, shopPack, slow.source);
    await slow.atFirstPage;
    const second = source(data);
    await expect(runSync(store, shopPack, second)).rejects.toMatchObject({ code: "sync_in_progress" });
    expect(second.served).toBe(0);
    expect((await readSyncRuns(store, "shop"))[0]?.errorCode ?? null).toBeNull();
    slow.release();
    expect(await first).toMatchObject({ inserted: 10 });
    // The lease was given back: the next run runs (and finds nothing new).
    expect(await runSync(store, shopPack, source(data))).toMatchObject({ inserted: 0 });
  });

  it("lets a run take over the lease of one that died, and the stalled one commits nothing more", async () => {
    const store = await freshStore();
    const data = remote(3, 7);
    let clock = new Date("2026-12-02T12:00:00Z").getTime();
    const now = () => new Date(clock);
    const stalled = paused(data);
    const first = runSync(store, shopPack, stalled.source, { now });
    await stalled.atFirstPage;
    // Eleven minutes without a page: its lease lapsed, and a new run takes over and finishes.
    clock += 11 * 60_000;
    expect(await runSync(store, shopPack, source(data), { now })).toMatchObject({ inserted: 10 });
    stalled.release();
    await expect(first).rejects.toMatchObject({ code: "sync_lease_lost" });
    expect(await ids(store, "shop_orders")).toEqual(data.orders.map((o) => o.id));
  });
});
