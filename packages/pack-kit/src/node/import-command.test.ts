import { mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { readProvenance } from "../connect/provenance.js";
import { getAsOf } from "../store/meta.js";
import { migratePack } from "../store/migrate.js";
import { listTables } from "../store/table-shape.js";
import { shopPack } from "../testing/fixtures/shop-pack.js";
import {
  openPostgresTestStore,
  type PostgresTestStore,
  postgresTestServer,
} from "../testing/postgres-test-store.js";
import { snapshotStore } from "../testing/snapshot.js";
import { EXIT_REJECTED_ROWS, parseImportArgs } from "./import-command.js";
import { runPackCli } from "./run-pack-cli.js";
import { openSqliteStore } from "./sqlite-store.js";

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function workdir(): string {
  const dir = mkdtempSync(join(tmpdir(), "import-cli-"));
  dirs.push(dir);
  return dir;
}

async function cli(argv: string[], env: Record<string, string> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const codes: number[] = [];
  await runPackCli(shopPack, {
    argv,
    env,
    stdout: (t) => out.push(t),
    stderr: (t) => err.push(t),
    exit: (c) => codes.push(c),
  });
  return { out: out.join(""), err: err.join(""), code: codes[0] };
}

const CUSTOMERS = 'id,name,email\r\n7,Acme,ops@acme.test\r\n8,"Globex, Inc.",\r\n';
const ORDERS =
  'Order,Customer,Total,Currency,State,Placed\n1,7,"$1,200.50",USD,Paid,3/4/2025\n2,8,12,EUR,Open,2025-03-05\n3,9,5,USD,Paid,2025-03-05\n4,7,2,USD,Refunded,2025-03-05\n';
const MAPPING = {
  system: "legacy-shop",
  tables: [
    { table: "shop_customers", file: "customers*.csv", id: "id", fields: { name: "name", email: "email" } },
    {
      table: "shop_orders",
      file: "orders*.csv",
      id: "Order",
      fields: {
        customer_id: { from: "Customer", prefix: "legacy-shop:" },
        amount_minor: { from: "Total", type: "money", currencyFrom: "Currency" },
        currency: "Currency",
        status: { from: "State", values: { Paid: "paid", Open: "open" } },
      },
    },
  ],
};

describe("toolpacks-<pack> import", () => {
  it("imports csv through a mapping from paths relative to INIT_CWD, then re-import changes nothing", async () => {
    const dir = workdir();
    writeFileSync(join(dir, "customers.csv"), CUSTOMERS);
    writeFileSync(join(dir, "orders.csv"), ORDERS);
    writeFileSync(join(dir, "mapping.json"), JSON.stringify(MAPPING));
    for (const f of ["customers.csv", "orders.csv"])
      utimesSync(join(dir, f), new Date("2025-03-06T10:00:00Z"), new Date("2025-03-06T10:00:00Z"));
    const argv = [
      "import",
      "csv",
      "customers.csv",
      "orders.csv",
      "--db",
      "shop.sqlite",
      "--mapping",
      "mapping.json",
    ];
    const first = await cli(argv, { INIT_CWD: dir });
    expect(first.code).toBe(EXIT_REJECTED_ROWS);
    expect(first.out).toContain(
      "imported csv into shop, as of 2025-03-06: 4 inserted, 0 updated, 0 unchanged, 2 rejected",
    );
    expect(first.out).toContain(
      'rejected orders.csv:4 column "Customer": refers to shop_customers legacy-shop:9',
    );
    expect(first.out).toContain(
      'rejected orders.csv:5 column "State": unknown value "Refunded"; known: Paid, Open.',
    );
    const store = openSqliteStore(join(dir, "shop.sqlite"));
    expect(
      await store.all("SELECT id, customer_id, amount_minor, currency, status FROM shop_orders ORDER BY id"),
    ).toEqual([
      {
        id: "legacy-shop:1",
        customer_id: "legacy-shop:7",
        amount_minor: 120050,
        currency: "USD",
        status: "paid",
      },
      {
        id: "legacy-shop:2",
        customer_id: "legacy-shop:8",
        amount_minor: 1200,
        currency: "EUR",
        status: "open",
      },
    ]);
    expect(await getAsOf(store, "shop")).toBe("2025-03-06");
    await store.close();
    const again = await cli(argv, { INIT_CWD: dir });
    expect(again.out).toContain("0 inserted, 0 updated, 4 unchanged, 2 rejected");
  });

  it("--dry-run leaves an existing store byte for byte as it was, and creates none", async () => {
    const dir = workdir();
    writeFileSync(join(dir, "customers.csv"), CUSTOMERS);
    writeFileSync(join(dir, "mapping.json"), JSON.stringify({ ...MAPPING, tables: [MAPPING.tables[0]] }));
    const dry = await cli([
      "import",
      "csv",
      join(dir, "customers.csv"),
      "--db",
      join(dir, "new.sqlite"),
      "--mapping",
      join(dir, "mapping.json"),
      "--dry-run",
    ]);
    expect(dry.out).toMatch(
      /^dry run \(nothing written\): would import csv into shop, as of \d{4}-\d{2}-\d{2}: 2 inserted/,
    );
    expect(() => readFileSync(join(dir, "new.sqlite"))).toThrow(/ENOENT/);

    const db = join(dir, "shop.sqlite");
    const store = openSqliteStore(db, { wal: false });
    await store.close();
    await cli([
      "import",
      "csv",
      join(dir, "customers.csv"),
      "--db",
      db,
      "--mapping",
      join(dir, "mapping.json"),
    ]);
    writeFileSync(join(dir, "customers.csv"), CUSTOMERS.replace("Acme", "Acme Corp"));
    const before = readFileSync(db);
    const changed = await cli([
      "import",
      "csv",
      join(dir, "customers.csv"),
      "--db",
      db,
      "--mapping",
      join(dir, "mapping.json"),
      "--dry-run",
    ]);
    expect(changed.out).toContain("0 inserted, 1 updated, 1 unchanged");
    expect(changed.out).toContain("changed legacy-shop:7: name");
    expect(readFileSync(db).equals(before)).toBe(true);
    const check = openSqliteStore(db);
    expect(await check.first("SELECT name FROM shop_customers WHERE id = 'legacy-shop:7'")).toEqual({
      name: "Acme",
    });
    expect((await readProvenance(check, "shop")).every((p) => p.rows === 2)).toBe(true);
    await check.close();
  });

  it("fails with one clear line and a non-zero exit, writing nothing", async () => {
    const dir = workdir();
    writeFileSync(join(dir, "bad.csv"), 'id,name\n1,"open\n');
    writeFileSync(join(dir, "latin1.csv"), Buffer.from([0x69, 0x64, 0x0a, 0xe9, 0x0a]));
    writeFileSync(
      join(dir, "mapping.json"),
      JSON.stringify({ ...MAPPING, tables: [{ ...MAPPING.tables[0], file: undefined }] }),
    );
    writeFileSync(join(dir, "broken.json"), "{ nope");
    const db = join(dir, "s.sqlite");
    const m = ["--mapping", join(dir, "mapping.json")];
    const cases: [string[], number, RegExp][] = [
      [["import"], 2, /import needs a format/],
      [["import", "csv"], 2, /needs at least one export file/],
      [["import", "csv", "x.csv"], 2, /needs --db FILE/],
      [["import", "csv", "x.csv", "--db", db, "--as-of", "yesterday"], 2, /--as-of must be a date/],
      [["import", "csv", "x.csv", "--db", db, "--frobnicate"], 2, /Unknown option/],
      [
        ["import", "salesforce", join(dir, "bad.csv"), "--db", db],
        1,
        /cannot import format "salesforce"; formats: lines, csv, json/,
      ],
      [["import", "csv", join(dir, "bad.csv"), "--db", db], 1, /The csv format needs --mapping FILE/],
      [
        ["import", "csv", join(dir, "bad.csv"), "--db", db, ...m],
        1,
        /bad\.csv:2: a quoted cell \(column B\) is never closed/,
      ],
      [
        ["import", "csv", join(dir, "latin1.csv"), "--db", db, ...m],
        1,
        /is not UTF-8 text; export it again as "CSV UTF-8"/,
      ],
      [["import", "csv", join(dir, "missing.csv"), "--db", db, ...m], 1, /missing\.csv: no such file/],
      [
        ["import", "csv", join(dir, "bad.csv"), "--db", db, "--mapping", join(dir, "broken.json")],
        1,
        /broken\.json is not JSON/,
      ],
    ];
    for (const [argv, code, message] of cases) {
      const run = await cli(argv);
      expect(run.code, argv.join(" ")).toBe(code);
      expect(run.err).toMatch(message);
      expect(run.err.trimEnd().split("\n")).toHaveLength(1);
      expect(run.out).toBe("");
    }
    expect(() => readFileSync(db)).toThrow(/ENOENT/);
  });

  it("refuses to import into a seeded store and to seed over imported data", async () => {
    const dir = workdir();
    writeFileSync(join(dir, "export.txt"), "customers,C1,name=Acme\n");
    const seeded = join(dir, "world.sqlite");
    const store = openSqliteStore(seeded);
    await import("../store/migrate.js").then((m) =>
      m.preparePackStore(store, shopPack, { scale: 2, seed: 1 }),
    );
    await store.close();
    const refused = await cli(["import", "lines", join(dir, "export.txt"), "--db", seeded]);
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(
      /holds the generated shop world .* Import into a new --db file\. Nothing was written\./,
    );

    const imported = join(dir, "mine.sqlite");
    expect((await cli(["import", "lines", join(dir, "export.txt"), "--db", imported])).code).toBe(0);
    const seed = await cli(["--seed-world", "--db", imported]);
    expect(seed.code).toBe(1);
    expect(seed.err).toMatch(
      /holds shop data imported from your systems; the generated world is never seeded over it/,
    );
  });

  it("parses paths against INIT_CWD and keeps absolute ones", () => {
    const parsed = parseImportArgs(
      ["hubspot", "deals.csv", "/abs/companies.csv", "--db", "crm.sqlite", "--dry-run"],
      { INIT_CWD: "/home/me" },
    );
    expect(parsed).toMatchObject({
      format: "hubspot",
      files: ["/home/me/deals.csv", "/abs/companies.csv"],
      db: "/home/me/crm.sqlite",
      dryRun: true,
    });
  });
});

const postgres = postgresTestServer();

describe.skipIf(!postgres.url)(`toolpacks-<pack> import --db postgres://… ${postgres.skipped ?? ""}`, () => {
  const opened: PostgresTestStore[] = [];
  afterEach(async () => {
    for (const store of opened.splice(0)) await store.close();
  });
  async function database(): Promise<PostgresTestStore> {
    const store = await openPostgresTestStore();
    opened.push(store);
    return store;
  }
  function files(): string {
    const dir = workdir();
    writeFileSync(join(dir, "customers.csv"), CUSTOMERS);
    writeFileSync(join(dir, "orders.csv"), ORDERS);
    writeFileSync(join(dir, "mapping.json"), JSON.stringify(MAPPING));
    for (const f of ["customers.csv", "orders.csv"])
      utimesSync(join(dir, f), new Date("2025-03-06T10:00:00Z"), new Date("2025-03-06T10:00:00Z"));
    return dir;
  }
  const argv = (url: string, ...extra: string[]) => [
    "import",
    "csv",
    "customers.csv",
    "orders.csv",
    "--db",
    url,
    "--mapping",
    "mapping.json",
    ...extra,
  ];

  it("migrates and fills the database, rejects the same rows as on SQLite, and a re-import changes nothing", async () => {
    const dir = files();
    const store = await database();
    const first = await cli(argv(store.url), { INIT_CWD: dir });
    expect(first.err).toBe("");
    expect(first.code).toBe(EXIT_REJECTED_ROWS);
    expect(first.out).toContain(
      "imported csv into shop, as of 2025-03-06: 4 inserted, 0 updated, 0 unchanged, 2 rejected",
    );
    expect(first.out).toContain(
      'rejected orders.csv:4 column "Customer": refers to shop_customers legacy-shop:9',
    );
    expect(await store.all("SELECT id, amount_minor, status FROM shop_orders ORDER BY id")).toEqual([
      { id: "legacy-shop:1", amount_minor: 120050, status: "paid" },
      { id: "legacy-shop:2", amount_minor: 1200, status: "open" },
    ]);
    expect(await getAsOf(store, "shop")).toBe("2025-03-06");
    const again = await cli(argv(store.url), { INIT_CWD: dir });
    expect(again.out).toContain("0 inserted, 0 updated, 4 unchanged, 2 rejected");
  });

  it("--dry-run writes nothing: not into a migrated database, and not even the schema into a new one", async () => {
    const dir = files();
    const fresh = await database();
    const dry = await cli(argv(fresh.url, "--dry-run"), { INIT_CWD: dir });
    expect(dry.out).toContain(
      "dry run (nothing written): would import csv into shop, as of 2025-03-06: 4 inserted",
    );
    expect(await listTables(fresh)).toEqual([]);

    const store = await database();
    await cli(argv(store.url), { INIT_CWD: dir });
    writeFileSync(join(dir, "customers.csv"), CUSTOMERS.replace("Acme", "Acme Corp"));
    const before = await snapshotStore(store);
    const changed = await cli(argv(store.url, "--dry-run"), { INIT_CWD: dir });
    expect(changed.out).toContain("0 inserted, 1 updated, 3 unchanged");
    expect(changed.out).toContain("changed legacy-shop:7: name");
    expect(await snapshotStore(store)).toBe(before);
  });

  it("a failed first import leaves the database as it found it: no tables, no migration records", async () => {
    const dir = workdir();
    const store = await database();
    // One failure before any row is written (a table the pack does not track), one in the final
    // batch (an amount past Postgres' INTEGER): both after the pack's migrations ran.
    const failures = [
      ["customers,C1,name=Acme\nwidgets,W1,name=Gear\n", /does not track/],
      [
        "customers,C1,name=Acme\norders,O1,customer_id=C1;amount_minor=99999999999;currency=USD;status=paid\n",
        /out of range/,
      ],
    ] as const;
    for (const [text, reason] of failures) {
      writeFileSync(join(dir, "export.txt"), text);
      const failed = await cli(["import", "lines", join(dir, "export.txt"), "--db", store.url]);
      expect(failed.code).toBe(1);
      expect(failed.err).toMatch(reason);
      expect(failed.err).toMatch(/Nothing was written\.$/m);
      expect(await listTables(store)).toEqual([]);
    }
    writeFileSync(join(dir, "export.txt"), "customers,C1,name=Acme\n");
    const fixed = await cli(["import", "lines", join(dir, "export.txt"), "--db", store.url]);
    expect(fixed.code).toBe(0);
    expect(await store.all("SELECT id, name FROM shop_customers")).toEqual([{ id: "C1", name: "Acme" }]);
    expect(await listTables(store)).toContain("_migrations");
  });

  it("refuses a dry run on a database with some of the pack's migrations pending, writing nothing", async () => {
    const dir = files();
    const store = await database();
    await migratePack(store, { ...shopPack, migrations: shopPack.migrations.slice(0, 1) });
    const before = await snapshotStore(store);
    const dry = await cli(argv(store.url, "--dry-run"), { INIT_CWD: dir });
    expect(dry.code).toBe(1);
    expect(dry.err).toMatch(/migrations this database has not run yet \(0002_shop_provenance\)/);
    expect(await snapshotStore(store)).toBe(before);
  });
});
