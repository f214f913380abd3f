import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Client, InMemoryTransport } from "@modelcontextprotocol/client";
import { describe, expect, it } from "vitest";
import { openPostgresTestStore, postgresTestServer } from "../testing/postgres-test-store.js";
import { openPacks } from "./open-packs.js";

describe("openPacks", () => {
  it("names the package to install when a pack is missing", async () => {
    await expect(openPacks(["nosuchpack"])).rejects.toMatchObject({
      code: "pack_not_installed",
      message: expect.stringMatching(/npm install @toolpacks\/nosuchpack/),
    });
  });

  it("finds a pack installed next to the app, not next to the kit", async () => {
    const app = mkdtempSync(join(tmpdir(), "pack-kit-app-"));
    const dir = join(app, "node_modules", "@toolpacks", "tinypack");
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      join(dir, "package.json"),
      JSON.stringify({ name: "@toolpacks/tinypack", type: "module", main: "index.js" }),
    );
    writeFileSync(
      join(dir, "index.js"),
      'export const pack = { name: "tinypack", version: "0.0.0", title: "Tiny", description: "d", tools: [], migrations: [], tool: () => undefined };',
    );
    try {
      const opened = await openPacks(["tinypack"], { paths: [app] });
      expect(opened.packs.map((p) => p.title)).toEqual(["Tiny"]);
      await opened.close();
    } finally {
      rmSync(app, { recursive: true, force: true });
    }
  });

  it("refuses a module that does not export a pack", async () => {
    await expect(openPacks(["world"], { importer: async () => ({}) })).rejects.toMatchObject({
      code: "not_a_pack",
    });
  });

  it("imports @toolpacks/<name>, seeds one shared store and serves each pack", async () => {
    const asked: string[] = [];
    const opened = await openPacks(["ledger"], {
      scale: 20,
      importer: async (specifier) => {
        asked.push(specifier);
        return import("../testing/fixtures/ledger-pack.js").then((m) => ({ pack: m.ledgerPack }));
      },
    });
    expect(asked).toEqual(["@toolpacks/ledger"]);
    expect(await opened.store.first("SELECT COUNT(*) AS n FROM entries")).toEqual({ n: 20 });
    const [first] = opened.servers;
    const client = new Client({ name: "t", version: "0" });
    const [a, b] = InMemoryTransport.createLinkedPair();
    await first!.server.connect(b);
    await client.connect(a);
    expect((await client.listTools()).tools.map((t) => t.name)).toContain("get_entry");
    await client.close();
    await opened.close();
  });

  it("closes its servers and shared store as the runtime CLI does after a run, without a warning", async () => {
    const opened = await openPacks(["ledger"], {
      scale: 20,
      importer: () => import("../testing/fixtures/ledger-pack.js").then((m) => ({ pack: m.ledgerPack })),
    });
    await opened.store.first("SELECT COUNT(*) AS n FROM entries");
    await expect(opened.close()).resolves.toBeUndefined();
    await expect(opened.store.first("SELECT 1")).rejects.toMatchObject({ code: "store_closed" });
  });
});

const postgres = postgresTestServer();

describe.skipIf(!postgres.url)(`openPacks with a postgres:// db ${postgres.skipped ?? ""}`, () => {
  it("migrates and seeds the packs into that database and serves them from it", async () => {
    const target = await openPostgresTestStore();
    try {
      const opened = await openPacks(["ledger"], {
        db: target.url,
        scale: 20,
        importer: () => import("../testing/fixtures/ledger-pack.js").then((m) => ({ pack: m.ledgerPack })),
      });
      expect(opened.store.dialect).toBe("postgres");
      await opened.close();
      expect(await target.first("SELECT COUNT(*) AS n FROM entries")).toEqual({ n: 20 });
    } finally {
      await target.close();
    }
  });
});
