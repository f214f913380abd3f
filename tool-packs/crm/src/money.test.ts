import { describe, expect, it } from "vitest";
import { formatMinor } from "./money.js";

describe("formatMinor", () => {
  it("renders cents exactly, including negatives and small amounts", () => {
    expect(formatMinor(123456, "EUR")).toBe("1234.56 EUR");
    expect(formatMinor(-5, "USD")).toBe("-0.05 USD");
  });

  it("respects currencies without or with three minor digits", () => {
    expect(formatMinor(1500, "JPY")).toBe("1500 JPY");
    expect(formatMinor(1500, "KWD")).toBe("1.500 KWD");
  });

  it("refuses fractional minor units instead of rounding silently", () => {
    expect(() => formatMinor(1.5, "EUR")).toThrow(RangeError);
  });
});
