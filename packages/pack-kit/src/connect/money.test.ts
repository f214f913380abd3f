import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { formatMoney, isCurrencyCode, minorDigits, parseMoney } from "./money.js";

describe("parseMoney", () => {
  it("parses the ways exports write amounts, exactly", () => {
    const cases: [string, string | undefined, number, string][] = [
      ["1,234.50", "USD", 123450, "USD"],
      ["1234.5", "USD", 123450, "USD"],
      ["1234", "USD", 123400, "USD"],
      ["$1,234.50", undefined, 123450, "USD"],
      ["USD 1,234.50", undefined, 123450, "USD"],
      ["1 234,50 €", undefined, 123450, "EUR"],
      ["£0.07", undefined, 7, "GBP"],
      ["-12.00", "USD", -1200, "USD"],
      ["(12.00)", "USD", -1200, "USD"],
      ["-$5", undefined, -500, "USD"],
      ["1,234", "JPY", 1234, "JPY"],
      ["¥1,234", undefined, 1234, "JPY"],
      ["1.234", "KWD", 1234, "KWD"],
      ["KWD 12.5", undefined, 12500, "KWD"],
      ["1.5000", "CLF", 15000, "CLF"],
      ["0.10", "usd", 10, "USD"],
      ["$12.50", "CAD", 1250, "CAD"],
      ["19.990", "EUR", 1999, "EUR"],
      ["90071992547409.91", "USD", 9007199254740991, "USD"],
    ];
    for (const [text, currency, minor, code] of cases) {
      expect(parseMoney(text, currency ? { currency } : {}), text).toEqual({ minor, currency: code });
    }
    expect(parseMoney("1.234,50", { currency: "EUR", decimal: "," })).toEqual({
      minor: 123450,
      currency: "EUR",
    });
  });

  it("refuses what is not an exact amount, saying why", () => {
    const cases: [string, string | undefined, RegExp][] = [
      ["", "USD", /blank/],
      ["12.345", "USD", /USD has 2 decimals, the amount has 3/],
      ["1.5", "JPY", /JPY has 0 decimals/],
      ["1e3", "USD", /not digits|not an amount/],
      ["12,34.00", "USD", /thousands separators/],
      ["1.2.3", "USD", /more than one decimal separator/],
      ["€12", "USD", /EUR but the currency is USD/],
      ["USD 12 EUR", undefined, /names both USD and EUR/],
      ["12", undefined, /no currency/],
      ["abc", "USD", /not an amount/],
      ["--12", "USD", /not an amount/],
      ["90071992547409.92", "USD", /too large/],
      ["12", "US", /not an ISO 4217 code/],
      ["12.00", "XYZ", /XYZ is not an ISO 4217 currency code/],
      ["ABC 12.00", undefined, /ABC is not an ISO 4217 currency code/],
      ["1 XAU", undefined, /XAU is not an ISO 4217 currency code/],
    ];
    for (const [text, currency, message] of cases) {
      expect(() => parseMoney(text, currency ? { currency } : {}), text).toThrow(message);
    }
  });

  it("knows ISO 4217 minor-unit exponents", () => {
    expect(["USD", "JPY", "KWD", "BHD", "CLF", "EUR", "krw"].map(minorDigits)).toEqual([2, 0, 3, 3, 4, 2, 0]);
    // Every code of the ISO 4217 list with an exponent other than 2.
    const zero = "BIF CLP DJF GNF ISK JPY KMF KRW PYG RWF UGX UYI VND VUV XAF XOF XPF".split(" ");
    const three = "BHD IQD JOD KWD LYD OMR TND".split(" ");
    for (const code of zero) expect(minorDigits(code), code).toBe(0);
    for (const code of three) expect(minorDigits(code), code).toBe(3);
    for (const code of ["CLF", "UYW"]) expect(minorDigits(code), code).toBe(4);
    for (const code of [...zero, ...three, "CLF", "UYW", "CHF", "INR", "MXN", "BRL", "ZAR", "SLE", "XCG"])
      expect(isCurrencyCode(code), code).toBe(true);
    for (const code of ["XYZ", "XAU", "XDR", "XXX", "US", "EURO"])
      expect(isCurrencyCode(code), code).toBe(false);
    expect(parseMoney("12,345", { currency: "JPY" })).toEqual({ minor: 12345, currency: "JPY" });
    expect(parseMoney("BHD 1.005", {})).toEqual({ minor: 1005, currency: "BHD" });
    expect(parseMoney("0.0001", { currency: "CLF" })).toEqual({ minor: 1, currency: "CLF" });
  });

  it("round-trips every safe amount in every exponent, plain and grouped (property)", () => {
    const group = (plain: string) => {
      const [whole = "", fraction] = plain.replace("-", "").split(".");
      const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
      return `${plain.startsWith("-") ? "-" : ""}${grouped}${fraction === undefined ? "" : `.${fraction}`}`;
    };
    fc.assert(
      fc.property(
        fc.integer({ min: -Number.MAX_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER }),
        fc.constantFrom("USD", "JPY", "KWD", "CLF", "EUR"),
        fc.boolean(),
        (minor, currency, grouped) => {
          const text = formatMoney(minor, currency);
          expect(parseMoney(grouped ? group(text) : text, { currency })).toEqual({ minor, currency });
        },
      ),
      { numRuns: 1000 },
    );
  });

  it("never returns a fraction of a minor unit or a float artefact (property)", () => {
    fc.assert(
      fc.property(fc.nat({ max: 10_000_000 }), fc.nat({ max: 99 }), (whole, cents) => {
        const text = `${whole}.${String(cents).padStart(2, "0")}`;
        const { minor } = parseMoney(text, { currency: "USD" });
        expect(Number.isSafeInteger(minor)).toBe(true);
        expect(minor).toBe(whole * 100 + cents);
      }),
      { numRuns: 500 },
    );
  });
});
