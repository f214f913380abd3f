import { describe, expect, it } from "vitest";
import { DemoError } from "../packs/errors.js";
import { parseBenchArgs } from "./args.js";

describe("parseBenchArgs", () => {
  it("runs every part on the four sizes by default", () => {
    const args = parseBenchArgs([]);
    expect(args.parts).toEqual(["tokens", "sandbox", "governance", "scale", "load", "peers", "sync"]);
    expect(args.loadSeconds).toBe(50);
    expect(args.sizes).toEqual([1_000, 10_000, 100_000, 1_000_000]);
  });

  it("accepts sizes in exponent notation and limits the run to chosen parts", () => {
    const args = parseBenchArgs(["--", "--part", "scale", "--sizes", "1e3,1e4", "--iterations", "5"]);
    expect(args.parts).toEqual(["scale"]);
    expect(args.sizes).toEqual([1_000, 10_000]);
    expect(args.iterations).toBe(5);
  });

  it.each([
    [["--part", "speed"], /Unknown bench part "speed"/],
    [["--sizes", "10"], /from 1000 to 2000000/],
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
