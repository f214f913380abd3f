import { describe, expect, it } from "vitest";
import { PackKitError } from "../errors.js";
import { postgresError } from "./postgres-dialect.js";

const codeOf = (error: unknown) => postgresError(error, "postgres://db:5432/x").code;

describe("postgresError", () => {
  it("calls every way of not reaching the server store_unreachable: Node sockets, Workers sockets, SQLSTATE 08 and 57P03", () => {
    expect(
      codeOf(Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:1"), { code: "ECONNREFUSED" })),
    ).toBe("store_unreachable");
    // What pg reports on Workers when Hyperdrive (or wrangler dev's local proxy) cannot reach the database.
    expect(codeOf(new Error("connection attempt failed"))).toBe("store_unreachable");
    expect(codeOf(Object.assign(new Error("connection failure"), { code: "08006" }))).toBe(
      "store_unreachable",
    );
    expect(codeOf(Object.assign(new Error("the database system is starting up"), { code: "57P03" }))).toBe(
      "store_unreachable",
    );
  });

  it("keeps other failures apart, with the original as cause", () => {
    const duplicate = Object.assign(new Error("duplicate key value"), { code: "23505" });
    const mapped = postgresError(duplicate, "postgres://db:5432/x");
    expect(mapped).toBeInstanceOf(PackKitError);
    expect(mapped.code).toBe("store_query_failed");
    expect((mapped as PackKitError).cause).toBe(duplicate);
    expect(codeOf(Object.assign(new Error("canceling statement"), { code: "57014" }))).toBe("store_timeout");
  });

  it("does not call a protocol violation (08P01, e.g. too many parameters) unreachable: the server answered", () => {
    const violation = Object.assign(new Error("bind message has 70000 parameter formats but 0 parameters"), {
      code: "08P01",
    });
    const mapped = postgresError(violation, "postgres://db:5432/x");
    expect(mapped.code).toBe("store_query_failed");
    expect(mapped.message).toMatch(/SQLSTATE 08P01/);
    expect(mapped.message).not.toMatch(/Cannot reach/);
  });
});
