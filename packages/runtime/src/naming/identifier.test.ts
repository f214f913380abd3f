import { describe, expect, it } from "vitest";
import { toIdentifier } from "./identifier.js";

describe("toIdentifier", () => {
  it("keeps snake_case tool names unchanged", () => {
    expect(toIdentifier("pipeline_summary")).toBe("pipeline_summary");
  });

  it("maps dashes, dots and slashes to underscores", () => {
    expect(toIdentifier("billing/create-invoice.v2")).toBe("billing_create_invoice_v2");
  });

  it("never returns a reserved word or a leading digit", () => {
    expect(toIdentifier("delete")).toBe("delete_");
    expect(toIdentifier("2fa")).toBe("_2fa");
  });
});
