import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { lookupIdentity } from "../connect/identity.js";
import { runImport } from "../connect/run-import.js";
import { definePack } from "../pack/define-pack.js";
import { migratePack } from "../store/migrate.js";
import { linesConnector, shopPack } from "../testing/fixtures/shop-pack.js";
import { runPackCli } from "./run-pack-cli.js";
import { openSqliteStore } from "./sqlite-store.js";

/** A second pack keeping the same businesses under its own ids, with websites. */
const deskPack = definePack({
  name: "desk",
  version: "0.0.0",
  title: "Desk",
  description: "Support desk clients.",
  tools: [],
  migrations: [
    {
      id: "0001_desk",
      statements: ["CREATE TABLE desk_clients (id TEXT PRIMARY KEY, name TEXT NOT NULL, website TEXT)"],
    },
  ],
  identity: [{ entity: "customer", sql: "SELECT id, name, website AS domain FROM desk_clients" }],
});

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function sharedStore(): Promise<{ dir: string; db: string }> {
  const dir = mkdtempSync(join(tmpdir(), "identity-cli-"));
  dirs.push(dir);
  const db = join(dir, "shared.sqlite");
  const store = openSqliteStore(db);
  const text = [
    "customers,C1,name=Acme;email=ap@acme.test",
    "customers,C2,name=Globex;email=x@gmail.com",
    "customers,C3,name=Initech;email=it@initech.test",
  ].join("\n");
  await runImport(store, shopPack, linesConnector, [{ name: "c.txt", text }], undefined, {
    asOf: "2025-01-01",
  });
  await migratePack(store, deskPack);
  await store.run(
    "INSERT INTO desk_clients VALUES ('K-1', 'ACME Inc', 'https://www.acme.test/'), ('K-2', 'Globex', NULL), ('K-9', 'Hooli', 'hooli.test')",
  );
  await store.close();
  return { dir, db };
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
    loadPacks: async (names) =>
      names.map((n) => {
        if (n !== "desk") throw new Error(`no pack ${n}`);
        return deskPack;
      }),
  });
  return { out: out.join(""), err: err.join(""), code: codes[0] };
}

describe("toolpacks-<pack> identity", () => {
  it("matches across the packs sharing the store, reports rates and unmatched, and stores the map", async () => {
    const { dir, db } = await sharedStore();
    writeFileSync(join(dir, "pairs.csv"), "system_a,id_a,system_b,id_b\nshop,C2,desk,K-2\n");
    const run = await cli(["identity", "--db", "shared.sqlite", "--with", "desk", "--pairs", "pairs.csv"], {
      INIT_CWD: dir,
    });
    expect(run.err).toBe("");
    expect(run.code).toBe(0);
    expect(run.out).toBe(
      [
        "customer identity map over shop, desk",
        "shop: 2 of 3 matched (66.7%)",
        "desk: 2 of 3 matched (66.7%)",
        "  unmatched shop C3 (Initech)",
        "  unmatched desk K-9 (Hooli)",
        "",
      ].join("\n"),
    );
    const store = openSqliteStore(db);
    expect(await lookupIdentity(store, "customer", { system: "desk", id: "K-1" }, "shop")).toEqual(["C1"]);
    expect(await lookupIdentity(store, "customer", { system: "shop", id: "C2" }, "desk")).toEqual(["K-2"]);
    await store.close();
  });

  it("a dry run stores nothing", async () => {
    const { db } = await sharedStore();
    const run = await cli(["identity", "--db", db, "--with", "desk", "--dry-run"]);
    expect(run.out).toMatch(
      /^dry run \(map not stored\): customer identity map over shop, desk\nshop: 1 of 3 matched/,
    );
    const store = openSqliteStore(db);
    expect(await lookupIdentity(store, "customer", { system: "desk", id: "K-1" }, "shop")).toEqual([]);
    await store.close();
  });

  it("fails with one line and a non-zero exit", async () => {
    const { dir, db } = await sharedStore();
    writeFileSync(join(dir, "bad-pairs.csv"), "system_a,id_a,system_b,id_b\nshop,nope,desk,K-1\n");
    const cases: [string[], number, RegExp][] = [
      [["identity", "--db", db], 2, /needs --with PACK/],
      [["identity", "--with", "desk"], 2, /needs --db FILE/],
      [
        ["identity", "--db", db, "--with", "desk", "--key", "phone"],
        2,
        /--key must be one of domain, email, tax_id/,
      ],
      [
        ["identity", "--db", join(dir, "missing.sqlite"), "--with", "desk"],
        1,
        /does not exist; import each system's exports into it first/,
      ],
      [
        ["identity", "--db", db, "--with", "desk", "--pairs", join(dir, "bad-pairs.csv")],
        1,
        /bad-pairs\.csv:2: shop nope is not a known record/,
      ],
      [["identity", "--db", db, "--with", "ghost"], 1, /no pack ghost/],
    ];
    for (const [argv, code, message] of cases) {
      const run = await cli(argv);
      expect(run.code, argv.join(" ")).toBe(code);
      expect(run.err).toMatch(message);
      expect(run.err.trimEnd().split("\n")).toHaveLength(1);
    }
  });
});
