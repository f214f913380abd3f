import { describe, expect, it } from "vitest";
import { DemoError } from "../packs/errors.js";
import { parseBenchArgs } from "./args.js";

describe("parseBenchArgs", () => {
  it("runs every part, the scale part on 10^5-10^7 rows in SQLite and Postgres, by default", () => {
    const args = parseBenchArgs([]);
    expect(args.parts).toEqual([
      "tokens",
      "sandbox",
      "governance",
      "scale",
      "import",
      "load",
      "peers",
      "sync",
    ]);
    expect(args.importRows).toBe(1_000_000);
    expect(args.loadSeconds).toBe(50);
    expect(args.sizes).toEqual([100_000, 1_000_000, 10_000_000]);
    expect(args.stores).toEqual(["sqlite", "postgres"]);
    expect(args.packs).toEqual(["crm", "erp", "warehouse", "billing"]);
  });

  it("narrows the scale part to some packs and stores, on a given server, keeping its worlds", () => {
    const args = parseBenchArgs([
      "--part",
      "scale",
      "--packs",
      "crm,billing",
      "--stores",
      "postgres",
      "--postgres",
      "postgres://u:p@127.0.0.1:5432/postgres",
      "--keep-worlds",
      "/tmp/worlds",
    ]);
    expect(args.packs).toEqual(["crm", "billing"]);
    expect(args.stores).toEqual(["postgres"]);
    expect(args.postgres).toBe("postgres://u:p@127.0.0.1:5432/postgres");
    expect(args.keepWorlds).toBe("/tmp/worlds");
  });

  it("accepts sizes in exponent notation and limits the run to chosen parts", () => {
    const args = parseBenchArgs(["--", "--part", "scale", "--sizes", "1e3,1e4", "--iterations", "5"]);
    expect(args.parts).toEqual(["scale"]);
    expect(args.sizes).toEqual([1_000, 10_000]);
    expect(args.iterations).toBe(5);
  });

  it.each([
    [["--part", "speed"], /Unknown bench part "speed"/],
    [["--sizes", "10"], /from 1000 to 10000000/],
    [["--sizes", "2e7"], /from 1000 to 10000000/],
    [["--packs", "crm,hr"], /--packs: unknown "hr"; use any of crm, erp, warehouse, billing/],
    [["--stores", "mysql"], /--stores: unknown "mysql"/],
    [["--postgres", "mysql://x"], /--postgres needs a postgres:\/\/ connection string/],
    [["--sizes", "1e3,abc"], /"abc"/],
    [["--sizes", ","], /at least one size/],
    [["--iterations", "0"], /--iterations needs a whole number/],
    [["--iterations"], /--iterations needs a value/],
    [["--fast"], /Unknown flag "--fast"/],
    [["--load-seconds", "0"], /--load-seconds needs a whole number/],
  ])("refuses %j with a message that says what to pass", (argv, message) => {
    expect(() => parseBenchArgs(argv)).toThrow(DemoError);
    expect(() => parseBenchArgs(argv)).toThrow(message);
  });
});
