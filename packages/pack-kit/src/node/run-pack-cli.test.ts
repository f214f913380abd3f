import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Client } from "@modelcontextprotocol/client";
import { StdioClientTransport } from "@modelcontextprotocol/client/stdio";
import { afterEach, describe, expect, it } from "vitest";
import { ledgerPack } from "../testing/fixtures/ledger-pack.js";
import { openPostgresTestStore, postgresTestServer } from "../testing/postgres-test-store.js";
import { parsePackCliArgs } from "./cli-args.js";
import { type PackCliIo, type RunningPackCli, runPackCli } from "./run-pack-cli.js";
import { openSqliteStore } from "./sqlite-store.js";

const defaults = { scale: 100, seed: 1 };
let running: RunningPackCli | undefined;
const dirs: string[] = [];
afterEach(async () => {
  await running?.close();
  running = undefined;
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function io(argv: string[], env: Record<string, string> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const codes: number[] = [];
  const options: PackCliIo = {
    argv,
    env,
    stdout: (t) => out.push(t),
    stderr: (t) => err.push(t),
    exit: (c) => codes.push(c),
    defaults,
  };
  return { options, out, err, codes };
}

describe("parsePackCliArgs", () => {
  it("defaults to stdio, loopback, an in-memory store and the pack's world", () => {
    expect(parsePackCliArgs([], {}, defaults)).toMatchObject({
      http: undefined,
      host: "127.0.0.1",
      db: ":memory:",
      scale: 100,
      seed: 1,
      token: undefined,
    });
  });

  it("resolves a relative --db from the directory pnpm was started in (INIT_CWD)", () => {
    const env = { INIT_CWD: "/home/me/project" };
    expect(parsePackCliArgs(["--db", "crm.sqlite"], env, defaults).db).toBe("/home/me/project/crm.sqlite");
    expect(parsePackCliArgs(["--db", "/data/crm.sqlite"], env, defaults).db).toBe("/data/crm.sqlite");
    expect(parsePackCliArgs(["--db", ":memory:"], env, defaults).db).toBe(":memory:");
    expect(parsePackCliArgs(["--db", "crm.sqlite"], {}, defaults).db).toBe("crm.sqlite");
  });

  it("takes a postgres:// --db as a connection string, not a path", () => {
    const env = { INIT_CWD: "/home/me/project" };
    for (const url of [
      "postgres://u:p@db:5432/crm",
      "postgresql://db/crm?sslmode=require",
      "POSTGRES://db/x",
    ]) {
      expect(parsePackCliArgs(["--db", url], env, defaults).db).toBe(url);
    }
  });

  it("takes the token from TOOLPACKS_TOKEN unless --token is given", () => {
    const env = { TOOLPACKS_TOKEN: "from-env-0123456789" };
    expect(parsePackCliArgs([], env, defaults).token).toBe("from-env-0123456789");
    expect(parsePackCliArgs(["--token", "from-flag-0123456789"], env, defaults).token).toBe(
      "from-flag-0123456789",
    );
  });

  it.each([
    [["--http", "70000"], /--http must be an integer from 0 to 65535/],
    [["--scale=-5"], /--scale must be an integer/],
    [["--seed", "1e3"], /--seed must be an integer/],
    [["--bogus"], /Unknown option '--bogus'/],
    [["--db"], /argument missing/],
    [["--token", "short"], /at least 16 characters/],
  ])("rejects %j", (argv, message) => {
    expect(() => parsePackCliArgs(argv, {}, defaults)).toThrow(message);
  });
});

describe("runPackCli", () => {
  it("prints usage for --help and exits 0", async () => {
    const run = io(["--help"]);
    expect(await runPackCli(ledgerPack, run.options)).toBeUndefined();
    expect(run.codes).toEqual([0]);
    expect(run.out.join("")).toMatch(/^Usage: toolpacks-ledger \[options\][\s\S]*--http PORT[\s\S]*--seed N/);
  });

  it("explains a bad flag and exits 2", async () => {
    const run = io(["--http", "abc"]);
    await runPackCli(ledgerPack, run.options);
    expect(run.codes).toEqual([2]);
    expect(run.err.join("")).toMatch(/--http must be an integer.*\nRun toolpacks-ledger --help for usage/);
  });

  it("refuses to expose the store beyond loopback without a token, exit 1", async () => {
    const run = io(["--http", "0", "--host", "0.0.0.0"]);
    await runPackCli(ledgerPack, run.options);
    expect(run.codes).toEqual([1]);
    expect(run.err.join("")).toMatch(/without a credential/);
  });

  it("creates, migrates and seeds --db once, then serves HTTP from it", async () => {
    const dir = mkdtempSync(join(tmpdir(), "pack-kit-cli-"));
    dirs.push(dir);
    const db = join(dir, "nested", "ledger.sqlite");
    const first = io(["--http", "0", "--db", db, "--scale", "30"]);
    running = await runPackCli(ledgerPack, first.options);
    expect(first.err.join("")).toMatch(/seeded .*ledger\.sqlite \(scale 30, seed 1\)/);
    const response = await fetch(running!.url!, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json, text/event-stream" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list" }),
    });
    expect(response.status).toBe(200);
    await running!.close();

    const second = io(["--http", "0", "--db", db, "--scale", "30"]);
    running = await runPackCli(ledgerPack, second.options);
    expect(second.err.join("")).not.toMatch(/seeded/);
    const store = openSqliteStore(db, { readOnly: true });
    expect(await store.first("SELECT COUNT(*) AS n FROM entries")).toEqual({ n: 30 });
    await store.close();
  });
});

const postgres = postgresTestServer();

describe.skipIf(!postgres.url)(`runPackCli --db postgres://… ${postgres.skipped ?? ""}`, () => {
  it("migrates and seeds the database once, then serves HTTP from it", async () => {
    const target = await openPostgresTestStore();
    try {
      const first = io(["--http", "0", "--db", target.url, "--scale", "30"]);
      running = await runPackCli(ledgerPack, first.options);
      expect(first.codes).toEqual([]);
      expect(first.err.join("")).toMatch(/seeded postgres:\/\/toolpacks:\*\*\*@.* \(scale 30, seed 1\)/);
      expect(first.err.join("")).not.toContain(new URL(target.url).password);
      const response = await fetch(running!.url!, {
        method: "POST",
        headers: { "content-type": "application/json", accept: "application/json, text/event-stream" },
        body: JSON.stringify({
          jsonrpc: "2.0",
          id: 1,
          method: "tools/call",
          params: { name: "get_entry", arguments: { id: "E-3" } },
        }),
      });
      expect(response.status).toBe(200);
      expect(await response.text()).toContain('\\"id\\":\\"E-3\\"');
      await running!.close();

      const second = io(["--http", "0", "--db", target.url, "--scale", "30"]);
      running = await runPackCli(ledgerPack, second.options);
      expect(second.err.join("")).not.toMatch(/seeded/);
      expect(await target.first("SELECT COUNT(*) AS n FROM entries")).toEqual({ n: 30 });
    } finally {
      await running?.close();
      running = undefined;
      await target.close();
    }
  });

  it("exits 1 saying the server cannot be reached, without printing the password", async () => {
    const url = new URL(postgres.url!);
    url.port = "1";
    const run = io(["--http", "0", "--db", url.toString()]);
    await runPackCli(ledgerPack, run.options);
    expect(run.codes).toEqual([1]);
    expect(run.err.join("")).toMatch(/could not open the store: Cannot reach the Postgres server/);
    expect(run.err.join("")).not.toContain(url.password);
  });
});

describe("the bin as a process", () => {
  const bin = fileURLToPath(new URL("../testing/fixtures/ledger-bin.ts", import.meta.url));
  const runBin = (args: string[]) =>
    new Promise<{ code: number | null; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, ["--import", "tsx", bin, ...args], {
        stdio: ["ignore", "ignore", "pipe"],
      });
      let stderr = "";
      child.stderr.on("data", (d) => {
        stderr += d;
      });
      child.on("close", (code) => resolve({ code, stderr }));
    });

  it.each([
    ["a 2025-11-25 session", "legacy", "2025-11-25"],
    ["2026-07-28 (server/discover, per-request _meta)", "auto", "2026-07-28"],
  ] as const)("serves MCP over stdio by default: %s", async (_, mode, version) => {
    const client = new Client({ name: "t", version: "0" }, { versionNegotiation: { mode } });
    // A subclass so the SDK asks the revision on this process, not on a second copy.
    class InPlace extends StdioClientTransport {}
    await client.connect(
      new InPlace({ command: process.execPath, args: ["--import", "tsx", bin], stderr: "ignore" }),
    );
    expect(client.getNegotiatedProtocolVersion()).toBe(version);
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name)).toContain("spend_by_category");
    const result = await client.callTool({ name: "get_entry", arguments: { id: "E-3" } });
    expect(result.structuredContent).toMatchObject({ id: "E-3" });
    await client.close();
  });

  it("exits 2 with a message on a bad flag", async () => {
    const { code, stderr } = await runBin(["--scale", "many"]);
    expect(code).toBe(2);
    expect(stderr).toMatch(/toolpacks-ledger: --scale must be an integer/);
  });
});
